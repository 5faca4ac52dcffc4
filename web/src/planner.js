// Which requests the tables need, and their answers, without the DOM: the page
// uses it, and so does web/build.mjs for the answer inlined into the page.
// Table rows come from the schema: each engine's 16/8/4-bit formats (and the
// chosen format where it is none of them), every fine-tuning method. Each row
// is estimated once per chosen card (the request names the card), and its
// verdict is the core's (report.fit), never a comparison made here. Each
// function takes ctx = {state, schema, gpuById, configText, est}, read at each
// call (the page replaces the state and the estimator as they change).
import { shortGpuName } from './format.js';
import { appliesTo, engineOf, rowFormats, rowLabel } from './schema.js';
import { MODULE_PRESETS } from './state.js';

// Fields the page sets only where they apply (schema appliesTo: an engine or the task).
const ENGINE_FIELDS = ['ubatch', 'gpuMemoryUtilization', 'maxModelLen', 'maxNumSeqs', 'gpuLayers'];
const TRAINING_FIELDS = ['trainer', 'trainingPrecision', 'cpuOffload'];
// The most cards a plan may use when the page asks for fewer.
const PLAN_GPUS = 8;

/** The table's formats: the engine's rows, then the chosen format where it is none of them. */
function formatsOf(ctx) {
  const rows = rowFormats(ctx.schema, ctx.state.engine);
  const loads = (engineOf(ctx.schema, ctx.state.engine) || { weights: [] }).weights;
  const file = ctx.modelFile && loads.indexOf(ctx.modelFile.weights) >= 0 ? ctx.modelFile.weights : '';
  const extra = [ctx.state.weights, file].filter((w, i, a) => w && rows.indexOf(w) < 0 && a.indexOf(w) === i);
  return rows.concat(extra);
}
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
  return r;
}

/** The state's values of fields that apply to `to` (an engine id or 'finetune'). */
function applying(ctx, fields, to, r) {
  for (const field of fields)
    if (ctx.state[field] !== '' && ctx.state[field] !== ctx.schema.fields[field].default && appliesTo(ctx.schema, field, to)) r[field] = ctx.state[field];
  return r;
}

/** The files' exact weight bytes, for the row of the files' own format (else the 16-bit row). */
function fileWeights(ctx, weights, r) {
  const f = ctx.modelFile;
  if (f && f.weightsBytes && weights === (f.weights || rowFormats(ctx.schema, ctx.state.engine)[0])) r.weightsBytes = f.weightsBytes;
  return r;
}

function inferenceRequest(ctx, weights) {
  return fileWeights(ctx, weights, applying(ctx, ENGINE_FIELDS, ctx.state.engine, Object.assign(common(ctx), { task: 'inference', engine: ctx.state.engine, weights })));
}

function finetuneRequest(ctx, method) {
  const s = ctx.state;
  const targets = MODULE_PRESETS[s.loraTargets] ? MODULE_PRESETS[s.loraTargets].slice() : s.loraTargets;
  return applying(ctx, TRAINING_FIELDS, 'finetune', Object.assign(common(ctx), { task: 'finetune', method, optimizer: s.optimizer,
    loraRank: s.loraRank, loraTargets: targets, gradientCheckpointing: !!s.checkpointing, zeroStage: s.zeroStage }));
}

/** The chosen cards: catalog entries, then a card given by its memory. Each says how a request names it (`at`). */
function chosenCards(ctx) {
  const cards = ctx.state.gpuIds.map((id) => ctx.gpuById[id]).filter(Boolean)
    .map((g) => Object.assign({}, g, { short: shortGpuName(g.name), at: { gpu: g.id } }));
  const bytes = ctx.state.gpuMemoryBytes;
  if (bytes) cards.push({ id: 'custom', name: 'your card', short: 'your card', memoryBytes: bytes, usableBytes: bytes, at: { gpuMemoryBytes: bytes } });
  return cards;
}

/** The request on one card. */
const onCard = (request, card) => Object.assign({}, request, card.at);

/** The request the charts and answers follow, on a card (the first by default): the chosen task, format and method. */
function focusRequest(ctx, card) {
  const r = ctx.state.task === 'finetune' ? finetuneRequest(ctx, ctx.state.method) : inferenceRequest(ctx, focusFormat(ctx));
  return onCard(r, card || chosenCards(ctx)[0]);
}

/** What the focus request is, in words: 'bf16 inference', 'lora fine-tuning'. */
function focusName(ctx) {
  return ctx.state.task === 'finetune' ? ctx.state.method + ' fine-tuning' : focusFormat(ctx) + ' inference';
}

/** A card's name in the core's text ('NVIDIA GeForce RTX 4090') as the page writes it. */
function shortNames(text, cards) {
  return cards.reduce((t, g) => t.split(g.name).join(g.short), String(text));
}

/** The core's verdict on one card; where it does not fit, why and the plan that makes it fit. */
function verdictOn(ctx, row, card, report, cards) {
  const fit = report.fit || { ok: true, gpus: ctx.state.gpus, reasons: [] };
  const where = fit.gpus + ' × ' + card.short;
  if (fit.ok) return { fits: true, card: card.id, text: 'fits on ' + where };
  const v = { fits: false, card: card.id, short: card.short, text: 'does not fit on ' + where, reason: fit.reasons.length ? shortNames(fit.reasons[0].message, cards) : '' };
  const plan = ctx.est.plan(onCard(row.request, card), { maxGpus: Math.max(ctx.state.gpus, PLAN_GPUS) });
  if (plan.ok) v.plan = { summary: shortNames(plan.summary, cards), changes: plan.changes };
  else if (plan.summary) v.plan = { summary: shortNames(plan.summary, cards), changes: null };
  return v;
}

/** Each row estimated on each card: row.reports, row.report (the first card's) and row.verdicts. */
function judge(ctx, row, cards) {
  row.reports = cards.map((card) => ctx.est.estimate(onCard(row.request, card)));
  row.report = row.reports[0];
  if (!row.reports.every((r) => r.ok)) { row.report = row.reports.find((r) => !r.ok); return row; }
  row.verdicts = cards.map((card, i) => verdictOn(ctx, row, card, row.reports[i], cards));
  return row;
}

function inferenceRows(ctx) {
  const focus = ctx.state.task === 'inference' ? focusFormat(ctx) : null;
  return formatsOf(ctx).map((w) => {
    const request = inferenceRequest(ctx, w);
    return { label: rowLabel(ctx.schema, w) + (request.weightsBytes ? ' (your file)' : ''), format: w, key: w, request, focus: focus === w };
  });
}

function finetuneRows(ctx) {
  const focus = ctx.state.task === 'finetune' ? ctx.state.method : null;
  return ctx.schema.fields.method.values.map((method) => ({ label: method, key: method, method, request: finetuneRequest(ctx, method), focus: focus === method }));
}

/** The rows of both tables with their reports and verdicts; {failed: report} when the model is bad. */
function tables(ctx) {
  const cards = chosenCards(ctx);
  const infRows = inferenceRows(ctx);
  judge(ctx, infRows[0], cards);
  if (!infRows[0].report.ok) return { failed: infRows[0].report };
  infRows.slice(1).forEach((r) => judge(ctx, r, cards));
  const ftRows = finetuneRows(ctx).map((r) => judge(ctx, r, cards));
  return { infRows, ftRows, cards };
}

/**
 * An answer about the focus request that does not depend on one of its fields: a sweep sets its
 * axis at every point, maxSeqLen searches the context length and maxBatch the batch
 * (tests/node/inverse-property.test.mjs checks it). The last answer per slot is reused while the rest of
 * the request is unchanged, so typing a context length asks again only what depends on it.
 */
function unlessChanged(ctx, slot, request, field, extra, ask) {
  const rest = Object.assign({}, request, { [field]: 0, model: null });
  const key = JSON.stringify([rest, extra]);
  const model = request.model;
  const memo = ctx.answers || (ctx.answers = {});
  const last = memo[slot];
  // A pasted config.json is compared as the same text, not stringified again.
  if (last && last.key === key && last.est === ctx.est && last.config === model.configJson &&
      last.preset === model.preset && last.params === model.params) return last.value;
  const value = ask(request);
  memo[slot] = { key, est: ctx.est, config: model.configJson, preset: model.preset, params: model.params, value };
  return value;
}

/** The focus request swept along seqLen or batch, from 1 to `to`. */
function sweepOf(ctx, axis, to, points) {
  return unlessChanged(ctx, 'sweep ' + axis, focusRequest(ctx), axis, [to, points], (r) => ctx.est.sweep(r, { axis, from: 1, to, points }));
}

/** The longest context and the largest batch of the focus request on a card. */
const maxSeqLenOn = (ctx, card) => unlessChanged(ctx, 'maxSeqLen ' + card.id, focusRequest(ctx, card), 'seqLen', null, (r) => ctx.est.maxSeqLen(r));
const maxBatchOn = (ctx, card) => unlessChanged(ctx, 'maxBatch ' + card.id, focusRequest(ctx, card), 'batch', null, (r) => ctx.est.maxBatch(r));

/** The planner's questions bound to one ctx. */
export function planner(ctx) {
  return {
    formats: () => formatsOf(ctx), focusFormat: () => focusFormat(ctx), focusRequest: (card) => focusRequest(ctx, card),
    focusName: () => focusName(ctx), chosenCards: () => chosenCards(ctx), maxCards: () => maxCards(ctx), tables: () => tables(ctx),
    shortNames: (text) => shortNames(text, chosenCards(ctx)),
    sweep: (axis, to, points) => sweepOf(ctx, axis, to, points), maxSeqLen: (card) => maxSeqLenOn(ctx, card), maxBatch: (card) => maxBatchOn(ctx, card),
  };
}
