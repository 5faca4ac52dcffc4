// <llm-memory-estimator>: the calculator as a custom element, from one script
// tag. Attributes give the initial state (the hash keys' long names: model,
// params, task, engine, weights, kv-cache, seq-len, batch, method, optimizer,
// lora-rank, lora-targets, gpu, gpus, zero-stage, tensor-parallel, unit, theme;
// later changes apply too); it fires `change` with {state, hash, inference,
// finetune} after every recomputation. Styling: CSS custom properties
// --llmmem-bg, --llmmem-fg, --llmmem-accent, --llmmem-line, --llmmem-font on the
// element. A page may rename the tag: window.LLMMEM_TAG = 'my-estimator' before the script.
import { mount } from './app.js';
import { VERSION, createState } from './state.js';

/* global LLMMEM_UI, LLMMEM_STYLE, LLMMEM_SCHEMA: constants web/build.mjs writes before the modules */

// attribute -> hash key (state.js)
const ATTRS = { model: 'm', params: 'p', task: 't', engine: 'e', weights: 'w', 'kv-cache': 'kv', 'seq-len': 's', batch: 'b',
  method: 'f', optimizer: 'o', 'lora-rank': 'r', 'lora-targets': 'lt', gpu: 'g', gpus: 'n', 'zero-stage': 'z',
  'tensor-parallel': 'tp', unit: 'u' };

/** The element's class (made only where HTMLElement exists). */
function elementClass() {
  return class LlmMemoryEstimator extends HTMLElement {
  connectedCallback() {
    if (this._app) return;
    const root = this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = LLMMEM_STYLE + '\n:host { display: block; }';
    root.appendChild(style);
    const holder = document.createElement('div');
    // A constant of the build (web/ui.html), never user data.
    holder.innerHTML = LLMMEM_UI;
    const app = holder.firstElementChild;
    root.appendChild(app);
    const decoded = createState(LLMMEM_SCHEMA).decode(this._hash());
    this._app = mount(app, {
      scope: root,
      schema: LLMMEM_SCHEMA,
      initial: decoded.state,
      problems: decoded.problems,
      theme: this.getAttribute('theme') || 'auto',
      onChange: (detail) => this.dispatchEvent(new CustomEvent('change', { detail, bubbles: true, composed: true })),
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
    const parts = [VERSION];
    for (const name of Object.keys(ATTRS)) {
      const v = this.getAttribute(name);
      if (v !== null) parts.push(ATTRS[name] + '=' + encodeURIComponent(v));
    }
    return parts.join('&');
  }
  /** The current state (a copy). */
  get state() { return this._app ? this._app.getState() : null; }
  };
}

function define() {
  if (typeof customElements === 'undefined') return;
  const tag = (typeof window !== 'undefined' && window.LLMMEM_TAG) || 'llm-memory-estimator';
  if (!customElements.get(tag)) customElements.define(tag, elementClass());
}

define();
