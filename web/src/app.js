// The calculator, mounted on a .llmmem element (in the page, or in the shadow
// root of <llm-memory-estimator>): wiring only. One state object (state.js),
// read from the controls (controls.js), turned into requests (planner.js),
// answered by the estimator, shown by render.js, charts.js and answers.js.
import { createState } from './state.js';
import { planner } from './planner.js';
import { buildChoices, fillKvCache, fillModels, fillWeights, fromControls, renderGpuList, showEngineSettings, toControls } from './controls.js';
import { renderModelInfo, renderTables, reportProblems, showError, showNotice } from './render.js';
import { renderBars, renderLine } from './charts.js';
import { renderAnswers } from './answers.js';
import { grouped } from './format.js';
import { rowFormats } from './schema.js';
import { modelFromFiles, readModelHeader, renderModelFiles } from './model-file.js';
import { renderAccuracyTable, wireAccuracyLinks } from './accuracy.js';
import { HUB_ORIGIN, hubFiles, hubReachable, parseRepoId } from './hub.js';

const MAX_CARDS = 8;
// Names of the files read as weights (headers only), not as config text.
const WEIGHT_FILE = /\.(gguf|safetensors)$|safetensors\.index\.json$/i;
// The x range of the charts when the model names no context length of its own.
const CHART_CONTEXT = 131072;
const CHART_BATCH = 256;
// Inputs that change no estimate (they have handlers of their own).
const QUIET_INPUTS = ['model-search', 'config-file', 'model-file', 'hub-id', 'hub-token', 'gpu-add', 'theme', 'show-formulas', 'link-text'];

/* global createEstimator */
let sharedEstimator = null;
/** One WASM instance per page, however many calculators it holds. */
function estimatorPromise() {
  sharedEstimator = sharedEstimator || createEstimator();
  return sharedEstimator;
}

/** Everything one mounted calculator holds; the parts read it at each call. */
function createView(root, options) {
  const scope = options.scope || root;
  const codec = createState(options.schema);
  const view = {
    root, scope, options, codec, schema: options.schema,
    $: (id) => scope.querySelector('#' + id),
    state: options.initial || codec.defaults(),
    est: null, presets: [], presetById: {}, gpus: [], gpuById: {}, configText: '', pending: 0, lastHash: '', modelFile: null,
  };
  view.plan = planner(view);
  view.changed = () => { if (view.est) update(view); };
  view.apply = (row, changes) => applyPlan(view, row, changes);
  return view;
}

function setCatalog(view, presets, gpus) {
  view.presets = presets;
  view.presetById = {};
  presets.forEach((p) => { view.presetById[p.id] = p; });
  view.gpus = gpus;
  view.gpuById = {};
  gpus.forEach((g) => { view.gpuById[g.id] = g; });
}

/** A plan's changes (request fields) into the state, with its row as the focus; the link follows. */
function applyPlan(view, row, changes) {
  const s = view.state;
  const first = rowFormats(view.schema, s.engine)[0];
  if (row.method) { s.task = 'finetune'; s.method = row.method; } else { s.task = 'inference'; s.weights = row.format === first ? '' : row.format; }
  Object.assign(s, view.codec.fromRequest(changes));
  if (s.weights === first) s.weights = '';
  toControls(view, view.changed);
  view.changed();
}

/** Recomputes everything from the controls. */
function update(view) {
  const problems = fromControls(view);
  if (view.state.mode === 'config' && view.configText.length > view.schema.limits.configJsonBytes)
    problems.push(configTooLarge(view, 'text is ' + grouped(view.configText.length) + ' characters'));
  if (problems.length) { showError(view, problems); return; }
  const t = view.plan.tables();
  if (t.failed) {
    showError(view, reportProblems(t.failed));
    renderModelInfo(view, null);
    return;
  }
  const broken = t.infRows.concat(t.ftRows).find((r) => !r.report.ok);
  showError(view, broken ? reportProblems(broken.report).map((p) => ({ id: p.id, text: broken.label + ' ' + (broken.format || '') + ': ' + p.text })) : []);
  renderRows(view, t.infRows, t.ftRows);
  if (view.options.hash) writeHash(view);
  if (view.options.onChange) view.options.onChange(changeDetail(view, t.infRows, t.ftRows));
}

/** Renders computed rows: the tables at once, the charts and answers in the next frame. */
function renderRows(view, infRows, ftRows) {
  const { root } = view;
  const columns = renderTables(view, infRows, ftRows);
  if (!root.dataset.shown && typeof performance !== 'undefined' && performance.mark) performance.mark('llmmem-first-tables');
  root.dataset.shown = 'true';
  // ready: the estimator itself answers (not only the build-time answer).
  if (view.est) {
    root.dataset.ready = 'true';
    if (root.ownerDocument.body && !view.options.scope) root.ownerDocument.body.dataset.ready = 'true';
  }
  // The heavier parts follow in the next frame (one per frame however fast the
  // input changes), so typing stays responsive.
  if (view.pending) cancelAnimationFrame(view.pending);
  view.pending = requestAnimationFrame(() => {
    view.pending = 0;
    renderCharts(view, infRows, ftRows, columns);
  });
}

function renderCharts(view, infRows, ftRows, columns) {
  const { state, $, plan } = view;
  const cards = plan.chosenCards();
  renderBars(view, cards, $('inference-bars'), 'Inference memory by component', infRows, columns.inference);
  renderBars(view, cards, $('finetune-bars'), 'Fine-tuning memory by component', ftRows, columns.finetune);
  const preset = state.mode === 'preset' && view.presetById[state.model];
  const maxContext = preset && preset.maxContext > 1 ? preset.maxContext : CHART_CONTEXT;
  renderLine(view, plan, $('chart-seqlen'), { axis: 'seqLen', title: 'Memory against context length', xLabel: 'context (tokens)', to: Math.max(maxContext, state.seqLen), current: state.seqLen });
  renderLine(view, plan, $('chart-batch'), { axis: 'batch', title: 'Memory against batch size', xLabel: 'batch', to: Math.max(CHART_BATCH, state.batch), current: state.batch });
  if (!view.est) return;
  renderAnswers(view, plan, (infRows.concat(ftRows).find((r) => r.focus) || {}).report || null);
  view.root.dataset.charts = 'true';
}

/** The `change` event's detail: the state, its hash, each row's total and verdicts. */
function changeDetail(view, infRows, ftRows) {
  const pick = (r) => ({ row: r.key, label: r.label, totalBytes: r.report.ok ? r.report.totalBytes : null, fits: r.verdicts ? r.verdicts.map((v) => v.text) : [] });
  return { state: JSON.parse(JSON.stringify(view.state)), hash: view.codec.encode(view.state), inference: infRows.map(pick), finetune: ftRows.map(pick) };
}

function writeHash(view) {
  const h = view.codec.encode(view.state);
  if (h === view.lastHash) return;
  view.lastHash = h;
  try { history.replaceState(null, '', h); } catch (e) { /* sandboxed frames may refuse */ }
}

/** Models and cards the catalog does not know fall back to the defaults; returns what it changed. */
function checkCatalog(view) {
  const { state } = view;
  const problems = [];
  if (state.mode === 'preset' && !view.presetById[state.model]) {
    problems.push('unknown model ' + state.model.slice(0, 40) + '; using ' + view.codec.defaults().model);
    state.model = view.codec.defaults().model;
  }
  const known = state.gpuIds.filter((id) => view.gpuById[id]);
  if (known.length !== state.gpuIds.length) problems.push('unknown cards left out');
  state.gpuIds = known.length ? known : view.codec.defaults().gpuIds;
  return problems;
}

function applyHash(view, hash) {
  const res = view.codec.decode(hash);
  view.state = res.state;
  const problems = view.est ? res.problems.concat(checkCatalog(view)) : res.problems;
  showNotice(view, problems);
  toControls(view, view.changed);
}

function showKvNote(view, text) {
  view.$('kv-note').textContent = text;
  view.$('kv-note').hidden = !text;
}

/** A new engine: its 16-bit row, and 'auto' for a KV-cache type it lacks (said beside the select). */
function changeEngine(view) {
  view.state.engine = view.$('engine').value;
  view.state.weights = '';
  showKvNote(view, view.codec.fitEngine(view.state).join('; '));
  fillWeights(view);
  fillKvCache(view);
  showEngineSettings(view);
}

function chooseModel(view, id) {
  view.state.mode = 'preset';
  view.state.model = id;
  view.$('params').value = '';
}

function onInput(view, e) {
  const id = e.target && e.target.id;
  if (id === 'model-search') { fillModels(view); return; }
  if (QUIET_INPUTS.indexOf(id) >= 0) return;
  if (id === 'params' || id === 'config' || id === 'model') forgetModelFiles(view);
  if (id === 'params') view.state.mode = 'params';
  if (id === 'config') { view.configText = e.target.value; view.state.mode = view.configText.trim() ? 'config' : 'preset'; }
  if (id === 'model') chooseModel(view, e.target.value);
  if (id === 'engine') changeEngine(view);
  if (id === 'kv') showKvNote(view, '');
  view.changed();
}

/** Arrow down or Enter in the search box moves into the model list (choosing its first model). */
function onSearchKey(view, e) {
  if (e.key !== 'ArrowDown' && e.key !== 'Enter') return;
  e.preventDefault();
  const sel = view.$('model');
  if (!sel.options.length) return;
  sel.focus();
  if (sel.selectedIndex < 0) { sel.selectedIndex = 0; chooseModel(view, sel.value); view.changed(); }
}

/** The config.json size check before the text reaches the module; the limit is the core's. */
function configTooLarge(view, what) {
  const mib = view.schema.limits.configJsonBytes / 2 ** 20;
  return { id: 'config', text: 'config.json: the ' + what + '; a config.json is a few KB (at most ' + grouped(mib) + ' MiB here)' };
}

function readConfigFile(view, f) {
  if (f.size > view.schema.limits.configJsonBytes) {
    showError(view, [configTooLarge(view, 'file is ' + grouped(f.size) + ' bytes')]);
    return;
  }
  const reader = new FileReader();
  reader.onload = () => {
    view.configText = String(reader.result);
    view.$('config').value = view.configText;
    view.state.mode = 'config';
    view.changed();
  };
  reader.readAsText(f);
}

function bindConfig(view) {
  const cfg = view.$('config');
  view.$('config-file').addEventListener('change', (e) => {
    const f = e.target.files && e.target.files[0];
    if (f) readConfigFile(view, f);
  });
  cfg.addEventListener('dragover', (e) => { e.preventDefault(); cfg.classList.add('drop'); });
  cfg.addEventListener('dragleave', () => cfg.classList.remove('drop'));
  cfg.addEventListener('drop', (e) => {
    e.preventDefault();
    cfg.classList.remove('drop');
    const files = Array.from((e.dataTransfer && e.dataTransfer.files) || []);
    // Weight files dropped here are read as model files (their headers), not as text.
    if (files.some((f) => WEIGHT_FILE.test(f.name))) openModelFiles(view, files);
    else if (files[0]) readConfigFile(view, files[0]);
  });
}

/** Model files (est.readModelFile on their headers): their config and exact weight bytes for the tables. */
async function openModelFiles(view, files) {
  if (!view.est || !files.length) return;
  const infos = [];
  for (const f of files) infos.push(await readModelHeader(view.est, f));
  const used = modelFromFiles(infos);
  view.modelFile = used.weightsBytes ? used : null;
  if (used.config) {
    view.configText = JSON.stringify(used.config, null, 1);
    view.$('config').value = view.configText;
    view.state.mode = 'config';
  }
  if (used.engine && used.engine !== view.state.engine) {
    view.$('engine').value = used.engine;
    changeEngine(view);
  }
  if (used.engine && used.weights) view.state.weights = used.weights;
  renderModelFiles(view, infos, view.modelFile);
  toControls(view, view.changed);
  view.changed();
}

function forgetModelFiles(view) {
  if (!view.modelFile) return;
  view.modelFile = null;
  renderModelFiles(view, [], null);
}

function bindModelFiles(view) {
  const input = view.$('model-file');
  const zone = view.$('model-file-drop');
  input.addEventListener('change', () => openModelFiles(view, Array.from(input.files || [])));
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('drop'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('drop'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('drop');
    openModelFiles(view, Array.from((e.dataTransfer && e.dataTransfer.files) || []));
  });
}

/** The Hub lookup (hub.js): on Fetch only, the repository's files read as dropped ones are. */
async function lookUpHub(view) {
  const status = view.$('hub-status');
  const input = view.$('hub-id');
  const id = parseRepoId(input.value);
  input.setAttribute('aria-invalid', id ? 'false' : 'true');
  if (!id) {
    status.textContent = 'Type a Hugging Face model id: org/model, or org/model/file.gguf for one GGUF file.';
    return;
  }
  const button = view.$('hub-fetch');
  button.disabled = true;
  try {
    const files = await hubFiles((url, init) => fetch(url, init), HUB_ORIGIN, id, view.$('hub-token').value.trim(), (text) => { status.textContent = text; });
    await openModelFiles(view, files);
    status.textContent = 'Read from ' + id.repo + ': ' + files.map((f) => f.name).join(', ') + '.';
  } catch (e) {
    status.textContent = e instanceof TypeError ? 'Could not reach ' + HUB_ORIGIN + ' (offline, or blocked by the network).' : e.message;
  } finally {
    button.disabled = false;
  }
}

function bindHub(view) {
  if (!hubReachable(location)) {
    ['hub-id', 'hub-token', 'hub-fetch'].forEach((id) => { view.$(id).disabled = true; });
    view.$('hub-status').textContent = 'This copy is offline (opened from a file): it never connects anywhere. The Hugging Face lookup works on the hosted page.';
    return;
  }
  view.$('hub-fetch').addEventListener('click', () => lookUpHub(view));
  view.$('hub-id').addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); lookUpHub(view); } });
}

function addCard(view) {
  const id = view.$('gpu-add').value;
  if (view.gpuById[id] && view.state.gpuIds.indexOf(id) < 0 && view.state.gpuIds.length < MAX_CARDS) view.state.gpuIds.push(id);
  renderGpuList(view, view.changed);
  view.changed();
}

function setTheme(view, t) {
  view.root.setAttribute('data-theme', t === 'light' || t === 'dark' ? t : 'auto');
  view.$('theme').value = view.root.getAttribute('data-theme');
}

/** Shows the address in a box and copies it where the clipboard allows. */
function copyLink(view) {
  const url = location.href;
  const box = view.$('link-text');
  box.value = url;
  box.hidden = false;
  box.select();
  const status = view.$('copy-status');
  const done = () => { status.textContent = 'Link copied.'; };
  const manual = () => { status.textContent = 'Copy the link from the box.'; };
  try {
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(url).then(done, manual);
    else manual();
  } catch (e) { manual(); }
}

function bindHash(view) {
  window.addEventListener('hashchange', () => {
    if (location.hash === view.lastHash) return;
    view.lastHash = location.hash;
    applyHash(view, location.hash);
    view.changed();
  });
  view.$('copy-link').addEventListener('click', () => copyLink(view));
}

function bindEvents(view) {
  const { $, root } = view;
  $('inputs').addEventListener('submit', (e) => e.preventDefault());
  root.addEventListener('input', (e) => onInput(view, e));
  $('model-search').addEventListener('keydown', (e) => onSearchKey(view, e));
  bindConfig(view);
  bindModelFiles(view);
  bindHub(view);
  $('gpu-add-button').addEventListener('click', () => addCard(view));
  $('show-formulas').addEventListener('change', (e) => {
    root.classList.toggle('show-formulas', e.target.checked);
    view.changed();
  });
  $('theme').addEventListener('change', (e) => setTheme(view, e.target.value));
  wireAccuracyLinks(view);
  renderAccuracyTable(view);
  if (view.options.hash) bindHash(view);
  else $('copy-link').hidden = true;
}

/** The build's answer for the default state, shown before the estimator is ready (prerender.js). */
function showSnapshot(view, pre) {
  if (!pre || view.est || view.state.mode !== 'preset' || view.codec.encode(view.state) !== pre.hash) return;
  setCatalog(view, pre.presets, pre.gpus);
  toControls(view, view.changed);
  pre.infRows.concat(pre.ftRows).forEach((r) => { r.report = r.reports[0]; });
  renderRows(view, pre.infRows, pre.ftRows);
}

function estimatorReady(view, est) {
  if (typeof performance !== 'undefined' && performance.mark) performance.mark('llmmem-estimator-ready');
  view.est = est;
  // The build's catalog lists (prerender.js) are the module's own: asking the
  // module for them again would build all 57 presets in a cold module.
  const pre = view.options.snapshot;
  setCatalog(view, pre ? pre.presets : est.presets(), pre ? pre.gpus : est.gpus());
  if (view.options.hash) applyHash(view, location.hash);
  else {
    checkCatalog(view);
    toControls(view, view.changed);
  }
  // A config.json pasted (or dropped) before the estimator was ready stays the model.
  if (view.configText.trim()) view.state.mode = 'config';
  update(view);
}

function start(view) {
  if (typeof createEstimator === 'undefined') {
    showError(view, [{ text: 'The estimator could not start: its script is missing' }]);
    return;
  }
  estimatorPromise().then((est) => estimatorReady(view, est), (err) => {
    showError(view, [{ text: 'The estimator could not start: ' + (err && err.message ? err.message : String(err)) }]);
  });
}

/**
 * Mounts a calculator on root (a .llmmem element holding ui.html).
 * @param {Element} root
 * @param {{schema: object, hash?: boolean, initial?: object, problems?: string[], snapshot?: object,
 *   theme?: string, onChange?: function(object): void, scope?: ParentNode}} options
 */
export function mount(root, options) {
  const view = createView(root, options);
  buildChoices(view);
  bindEvents(view);
  if (options.hash) applyHash(view, location.hash);
  else { showNotice(view, options.problems || []); toControls(view, view.changed); }
  if (options.theme) setTheme(view, options.theme);
  showSnapshot(view, options.snapshot);
  // In dist/index.html the app runs first (to show the build's answer: with
  // the estimator's script first, decoding its base64 delayed that from 117
  // to 276 ms, make bench medians on a loaded machine) and the estimator's
  // script follows it, compiling its WebAssembly as it runs: start once that has run.
  if (typeof createEstimator === 'undefined') document.addEventListener('DOMContentLoaded', () => start(view));
  else start(view);
  return {
    /** The current state (a copy). */
    getState: () => JSON.parse(JSON.stringify(view.state)),
    /** Replaces the state (as decoded from a hash) and recomputes. */
    setHash: (hash) => { applyHash(view, hash); view.changed(); },
    setTheme: (t) => setTheme(view, t),
  };
}
