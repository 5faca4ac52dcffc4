// The default state's answer, computed at build time (web/build.mjs) with the
// same planner the page runs, and inlined into dist/index.html so the tables
// show before the WebAssembly has started.
import { createState } from './state.js';
import { planner } from './planner.js';

/** Only the fields the page's first render reads. */
const presetFields = (p) => ({ id: p.id, hfId: p.hfId, name: p.name, family: p.family, modelType: p.modelType, params: p.params, activeParams: p.activeParams, maxContext: p.maxContext });
const gpuFields = (g) => ({ id: g.id, name: g.name, vendor: g.vendor, segment: g.segment, memoryBytes: g.memoryBytes, usableBytes: g.usableBytes });
const rowFields = (r) => ({ label: r.label, format: r.format, key: r.key, method: r.method, focus: r.focus, request: r.request, reports: r.reports, verdicts: r.verdicts });

/**
 * @param {object} est the estimator module
 * @returns {{hash: string, presets: object[], gpus: object[], infRows: object[], ftRows: object[]}}
 */
export function prerender(est) {
  const schema = est.schema();
  const codec = createState(schema);
  const state = codec.defaults();
  const gpus = est.gpus().map(gpuFields);
  const gpuById = {};
  gpus.forEach((g) => { gpuById[g.id] = g; });
  const t = planner({ state, schema, gpuById, configText: '', est }).tables();
  return { hash: codec.encode(state), presets: est.presets().map(presetFields), gpus, infRows: t.infRows.map(rowFields), ftRows: t.ftRows.map(rowFields) };
}
