// <llm-memory-estimator>: the calculator as a custom element, from one script
// tag. Attributes give the initial state (the hash keys' long names: model,
// params, task, engine, weights, kv-cache, seq-len, batch, method, optimizer,
// lora-rank, lora-targets, gpu, gpus, zero-stage, tensor-parallel, unit, theme;
// later changes apply too); it fires `change` with {state, hash, inference,
// finetune} after every recomputation. Styling: CSS custom properties
// --llmmem-bg, --llmmem-fg, --llmmem-accent, --llmmem-line, --llmmem-font on the
// element (and --llmmem-font-size, 16px by default). A page may rename the tag:
// window.LLMMEM_TAG = 'my-estimator' before the script. Hosts with a strict CSP
// need nothing for styles (a constructable stylesheet); under Trusted Types
// the markup goes through a policy named `llmmem`. Attribute changes are
// coalesced into one recomputation per frame; a detached element does no work.
import { mount } from './app.js';
import { VERSION, createState } from './state.js';

/* global LLMMEM_UI, LLMMEM_STYLE, LLMMEM_SCHEMA: constants web/build.mjs writes before the modules */

// attribute -> hash key (state.js)
const ATTRS = { model: 'm', params: 'p', task: 't', engine: 'e', weights: 'w', 'kv-cache': 'kv', 'seq-len': 's', batch: 'b',
  method: 'f', optimizer: 'o', 'lora-rank': 'r', 'lora-targets': 'lt', gpu: 'g', gpus: 'n', 'zero-stage': 'z',
  'tensor-parallel': 'tp', unit: 'u' };

// Inherited properties cross the shadow boundary: `all: initial` on the host
// stops the page's (a `* { font-size: 40px }` rule), and the root's own font
// size holds even where the page forces the host's with !important; the
// sheet's rem lengths are multiples of that size (web/build.mjs elementStyle).
const HOST_STYLE = ':host { all: initial; display: block; }\n' +
  '.llmmem { --llmmem-rem: var(--llmmem-font-size, 16px); font-size: var(--llmmem-rem); }';

/**
 * The sheet in the shadow root: a constructable stylesheet where the browser
 * has them (a page's CSP style-src does not apply to those), else a <style>.
 */
function adoptStyle(root) {
  const text = LLMMEM_STYLE + '\n' + HOST_STYLE;
  if (typeof CSSStyleSheet === 'function' && 'adoptedStyleSheets' in root) {
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(text);
      root.adoptedStyleSheets = [sheet];
      return;
    } catch (e) { /* an older engine: fall back to <style> */ }
  }
  const style = document.createElement('style');
  style.textContent = text;
  root.appendChild(style);
}

let policy = null;
/**
 * The build's markup (web/ui.html, a constant, never user data) as HTML the
 * innerHTML sink accepts: under Trusted Types through a policy named `llmmem`
 * (a page with a policy allow-list must list it), else the plain string.
 */
function trustedUi() {
  const tt = typeof window !== 'undefined' && window.trustedTypes;
  if (!tt || typeof tt.createPolicy !== 'function') return LLMMEM_UI;
  if (!policy) policy = tt.createPolicy('llmmem', { createHTML: (html) => (html === LLMMEM_UI ? html : '') });
  return policy.createHTML(LLMMEM_UI);
}

/** Runs `fn` once before the next frame (or soon, where there are no frames); returns a cancel function. */
function schedule(fn) {
  if (typeof requestAnimationFrame === 'function') {
    const id = requestAnimationFrame(fn);
    return () => cancelAnimationFrame(id);
  }
  const id = setTimeout(fn, 0);
  return () => clearTimeout(id);
}

/** The element's class (made only where HTMLElement exists). */
function elementClass() {
  return class LlmMemoryEstimator extends HTMLElement {
  connectedCallback() {
    if (this._app) {
      if (this._themeDirty || this._hashDirty) this._schedule();  // changes made while detached
      return;
    }
    const root = this.attachShadow({ mode: 'open' });
    adoptStyle(root);
    const holder = document.createElement('div');
    holder.innerHTML = trustedUi();
    const app = holder.firstElementChild;
    root.appendChild(app);
    const decoded = createState(LLMMEM_SCHEMA).decode(this._hash());
    this._app = mount(app, {
      scope: root,
      schema: LLMMEM_SCHEMA,
      initial: decoded.state,
      problems: decoded.problems,
      theme: this.getAttribute('theme') || 'auto',
      onChange: (detail) => { if (this.isConnected) this.dispatchEvent(new CustomEvent('change', { detail, bubbles: true, composed: true })); },
    });
  }
  /** A detached element does no work: the pending recomputation waits for reconnection. */
  disconnectedCallback() {
    if (this._cancel) { this._cancel(); this._cancel = null; }
  }
  static get observedAttributes() { return Object.keys(ATTRS).concat(['theme']); }
  /** Attribute changes are coalesced: one recomputation (and one `change`) per frame, from all the attributes. */
  attributeChangedCallback(name) {
    if (!this._app) return;
    if (name === 'theme') this._themeDirty = true;
    else this._hashDirty = true;
    if (this.isConnected) this._schedule();
  }
  _schedule() {
    if (this._cancel) return;
    this._cancel = schedule(() => {
      this._cancel = null;
      if (this._themeDirty) this._app.setTheme(this.getAttribute('theme') || 'auto');
      if (this._hashDirty) this._app.setHash(this._hash());
      this._themeDirty = this._hashDirty = false;
    });
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

const DEFAULT_TAG = 'llm-memory-estimator';

/** The tag: window.LLMMEM_TAG when it is a string naming a valid custom element (an <a id> clobbering it is not). */
function tagName() {
  const named = typeof window !== 'undefined' ? window.LLMMEM_TAG : undefined;
  return typeof named === 'string' && /^[a-z][a-z0-9._]*-[a-z0-9._-]*$/.test(named) ? named : DEFAULT_TAG;
}

function define() {
  if (typeof customElements === 'undefined') return;
  const tag = tagName();
  try {
    if (!customElements.get(tag)) customElements.define(tag, elementClass());
  } catch (e) {  // a reserved name (font-face, ...): the default tag instead
    if (!customElements.get(DEFAULT_TAG)) customElements.define(DEFAULT_TAG, elementClass());
  }
}

define();
