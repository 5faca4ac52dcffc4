// Which requests the tables need, and their answers, without the DOM: the page
// uses it, and so does web/build.mjs for the answer inlined into the page.
// Table rows come from the schema: each engine's 16/8/4-bit formats, every
// fine-tuning method. Each function takes ctx = {state, schema, gpuById,
// configText, est}, read at each call (the page replaces the state and the
// estimator as they change).
import { shortGpuName } from './format.js';
import { appliesTo, rowFormats, rowLabel } from './schema.js';
import { MODULE_PRESETS } from './state.js';

// Inference fields the page sets only for the engines they apply to (schema appliesTo).
const ENGINE_FIELDS = ['ubatch', 'gpuMemoryUtilization'];

const formatsOf = (ctx) => rowFormats(ctx.schema, ctx.state.engine);
/** The format the charts and answers follow: the chosen one, else the 16-bit row. */
const focusFormat = (ctx) => ctx.state.weights || formatsOf(ctx)[0];
/** The most cards the inverse questions try: the core's bound on `gpus`. */
const maxCards = (ctx) => ctx.schema.fields.gpus.max;

function modelField(ctx) {
  if (ctx.state.mode === 'params') return { params: ctx.state.params * 1e9 };
  if (ctx.state.mode === 'config') return { configJson: ctx.configText };
  return { preset: ctx.state.model };
}

/** The fields inference and fine-tuning requests share; defaults left out. */
function common(ctx) {
  const s = ctx.state;
  const r = { model: modelField(ctx), seqLen: s.seqLen, batch: s.batch, gpus: s.gpus };
  if (s.mode === 'params') r.estimator = 'simple';
  if (s.tensorParallel !== ctx.schema.fields.tensorParallel.default) r.tensorParallel = s.tensorParallel;
  if (s.kvCache !== ctx.schema.fields.kvCache.default) r.kvCache = s.kvCache;
  if (s.attention) r.attention = s.attention;
  if (ctx.gpuById[s.gpuIds[0]]) r.gpu = s.gpuIds[0];
  return r;
}

function inferenceRequest(ctx, weights) {
  const r = Object.assign(common(ctx), { task: 'inference', engine: ctx.state.engine, weights });
  for (const field of ENGINE_FIELDS)
    if (ctx.state[field] !== '' && appliesTo(ctx.schema, field, ctx.state.engine)) r[field] = ctx.state[field];
  return r;
}

function finetuneRequest(ctx, method) {
  const s = ctx.state;
  const targets = MODULE_PRESETS[s.loraTargets] ? MODULE_PRESETS[s.loraTargets].slice() : s.loraTargets;
  return Object.assign(common(ctx), { task: 'finetune', method, optimizer: s.optimizer, loraRank: s.loraRank,
    loraTargets: targets, gradientCheckpointing: !!s.checkpointing, zeroStage: s.zeroStage });
}

/** The request the charts and answers follow: the chosen task, format and method. */
function focusRequest(ctx) {
  return ctx.state.task === 'finetune' ? finetuneRequest(ctx, ctx.state.method) : inferenceRequest(ctx, focusFormat(ctx));
}

/** What the focus request is, in words: 'bf16 inference', 'lora fine-tuning'. */
function focusName(ctx) {
  return ctx.state.task === 'finetune' ? ctx.state.method + ' fine-tuning' : focusFormat(ctx) + ' inference';
}

function chosenCards(ctx) {
  return ctx.state.gpuIds.map((id) => ctx.gpuById[id]).filter(Boolean);
}

function verdictFor(ctx, report, request) {
  return chosenCards(ctx).map((g) => {
    const name = shortGpuName(g.name);
    if (report.totalBytes <= g.usableBytes) return { fits: true, text: 'fits on ' + ctx.state.gpus + ' × ' + name };
    const need = ctx.est.gpusNeeded(request, g.usableBytes, maxCards(ctx));
    if (need.ok && need.value) return { fits: false, text: 'needs ' + need.value + ' × ' + name };
    return { fits: false, text: 'does not fit on ' + name + ' cards' };
  });
}

function inferenceRows(ctx) {
  const focus = ctx.state.task === 'inference' ? focusFormat(ctx) : null;
  return formatsOf(ctx).map((w) => {
    const request = inferenceRequest(ctx, w);
    return { label: rowLabel(ctx.schema, w), format: w, key: w, request, report: ctx.est.estimate(request), focus: focus === w };
  });
}

function finetuneRows(ctx) {
  const focus = ctx.state.task === 'finetune' ? ctx.state.method : null;
  return ctx.schema.fields.method.values.map((method) => {
    const request = finetuneRequest(ctx, method);
    return { label: method, key: method, request, report: ctx.est.estimate(request), focus: focus === method };
  });
}

/** The rows of both tables with their reports and verdicts; {failed: report} when the model is bad. */
function tables(ctx) {
  const infRows = inferenceRows(ctx);
  if (!infRows[0].report.ok) return { failed: infRows[0].report };
  const ftRows = finetuneRows(ctx);
  infRows.concat(ftRows).forEach((r) => {
    if (r.report.ok) r.verdicts = verdictFor(ctx, r.report, r.request);
  });
  return { infRows, ftRows };
}

/** The planner's questions bound to one ctx. */
export function planner(ctx) {
  return {
    formats: () => formatsOf(ctx), focusFormat: () => focusFormat(ctx), focusRequest: () => focusRequest(ctx),
    focusName: () => focusName(ctx), chosenCards: () => chosenCards(ctx), maxCards: () => maxCards(ctx), tables: () => tables(ctx),
  };
}
