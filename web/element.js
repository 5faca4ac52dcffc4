// <llm-memory-estimator>: the calculator as a custom element, from one script
// tag. Attributes give the initial state (the hash keys' long names: model,
// params, task, engine, weights, seq-len, batch, method, optimizer, lora-rank,
// gpu, gpus, zero-stage, unit, theme; later changes apply too); it fires `change` with
// {state, hash, inference, finetune} after every recomputation. Styling:
// CSS custom properties --llmmem-bg, --llmmem-fg, --llmmem-accent,
// --llmmem-line, --llmmem-font on the element. A page may rename the tag:
// window.LLMMEM_TAG = 'my-estimator' before the script.
(function () {
  'use strict';
  if (typeof customElements === 'undefined') return;
  var TAG = (typeof window !== 'undefined' && window.LLMMEM_TAG) || 'llm-memory-estimator';
  if (customElements.get(TAG)) return;

  // attribute -> hash key of web/state.js
  var ATTRS = { model: 'm', params: 'p', task: 't', engine: 'e', weights: 'w', 'kv-cache': 'kv', 'seq-len': 's', batch: 'b',
    method: 'f', optimizer: 'o', 'lora-rank': 'r', 'lora-targets': 'lt', gpu: 'g', gpus: 'n', 'zero-stage': 'z',
    'tensor-parallel': 'tp', unit: 'u' };

  class LlmMemoryEstimator extends HTMLElement {
    connectedCallback() {
      if (this._app) return;
      var root = this.attachShadow({ mode: 'open' });
      var style = document.createElement('style');
      style.textContent = LLMMEM_STYLE + '\n:host { display: block; }';
      root.appendChild(style);
      var holder = document.createElement('div');
      // A constant of the build (web/ui.html), never user data.
      holder.innerHTML = LLMMEM_UI;
      var app = holder.firstElementChild;
      root.appendChild(app);
      var decoded = LlmmemState.decode(this._hash());
      var host = this;
      this._app = LlmmemApp.mount(app, {
        scope: root,
        initial: decoded.state,
        problems: decoded.problems,
        theme: this.getAttribute('theme') || 'auto',
        onChange: function (detail) {
          host.dispatchEvent(new CustomEvent('change', { detail: detail, bubbles: true, composed: true }));
        },
      });
    }
    static get observedAttributes() { return Object.keys(ATTRS).concat(['theme']); }
    /** A later attribute change sets the state again from all the attributes. */
    attributeChangedCallback(name) {
      if (!this._app) return;
      if (name === 'theme') this._app.setTheme(this.getAttribute('theme') || 'auto');
      else this._app.setHash(this._hash());
    }
    _hash() {
      var parts = ['v1'];
      for (var name in ATTRS) {
        var v = this.getAttribute(name);
        if (v !== null) parts.push(ATTRS[name] + '=' + encodeURIComponent(v));
      }
      return parts.join('&');
    }
    /** The current state (a copy). */
    get state() { return this._app ? this._app.getState() : null; }
  }
  customElements.define(TAG, LlmMemoryEstimator);
})();
