// "What fits": the inverse questions the core answers for the focus request on
// each chosen card (longest context, largest batch, best format, cards needed).
// The request names the card, so "fits" is the core's verdict (report.fit),
// the same one the table rows show. vLLM's own KV-cache capacity is added
// where the report carries it.
import { el, rebuild } from './dom.js';
import { formatBytes, grouped } from './format.js';

const CARDS_ASKED = 3;

function answer(dl, question, text) {
  dl.appendChild(el('dt', question));
  dl.appendChild(el('dd', text));
}

/** vLLM sizes its KV pool by the card: what the focus report says for the first card. */
function poolAnswers(view, dl, report) {
  const pool = report && report.ok && report.vllm;
  if (!pool || typeof pool.kvCapacityTokens !== 'number') return;
  answer(dl, 'KV cache capacity (' + formatBytes(pool.kvPoolBytes, view.state.unit) + ' pool)', grouped(pool.kvCapacityTokens) + ' tokens');
  if (typeof pool.maxConcurrentSeqs === 'number')
    answer(dl, 'Concurrent sequences of ' + grouped(view.state.seqLen) + ' tokens', grouped(pool.maxConcurrentSeqs));
}

/** ', with max model length 26,448' where the answer assumes one. */
function assumed(res) {
  return res.changes && res.changes.maxModelLen ? ', with max model length ' + grouped(res.changes.maxModelLen) : '';
}

function contextText(view, seq) {
  if (!seq.ok) return '–';
  if (seq.value === 0) return 'none: even 1 token does not fit';
  const preset = view.state.mode !== 'params' && view.presetById[view.state.model];
  const capped = !seq.capped ? '' : preset && seq.value === preset.maxContext ? " (the model's maximum)" : ' or more';
  return grouped(seq.value) + ' tokens' + capped + assumed(seq);
}

function batchText(batch) {
  if (!batch.ok) return '–';
  return batch.value === 0 ? 'none: even batch 1 does not fit' : grouped(batch.value) + (batch.capped ? ' or more' : '') + assumed(batch);
}

function cardsText(need, name, limit) {
  if (!need.ok) return '–';
  if (!need.value) return 'none up to ' + grouped(limit) + ' with these settings (see the plan under the table)';
  return need.value + ' × ' + name;
}

/** The four questions for one card, asked with the card in the request. */
function cardAnswers(view, plan, dl, card) {
  const { state, est } = view;
  const req = plan.focusRequest(card);
  const on = state.gpus + ' × ' + card.short;
  const what = state.task === 'finetune' ? plan.focusName() : plan.focusFormat() + ', batch ' + state.batch;
  answer(dl, 'Longest context on ' + on + ' (' + what + ')', contextText(view, plan.maxSeqLen(card)));
  answer(dl, 'Largest batch on ' + on + ' (' + grouped(state.seqLen) + ' tokens)', batchText(plan.maxBatch(card)));
  if (state.task === 'inference') {
    const formats = plan.formats();
    const best = est.bestFormat(req, undefined, formats);
    answer(dl, 'Most precise format that fits ' + on, !best.ok ? '–' : best.value || 'none of ' + formats.join(', '));
  }
  const limit = Math.min(plan.maxCards(), 1024);
  answer(dl, 'Cards needed (' + card.short + ')', cardsText(est.gpusNeeded(req, undefined, limit), card.short, limit));
}

/**
 * Fills the "What fits" list.
 * @param {object} focusReport the focus row's report (from the tables), or null
 */
export function renderAnswers(view, plan, focusReport) {
  rebuild(view.$('answers-list'), (dl) => {
    if (view.state.task === 'inference') poolAnswers(view, dl, focusReport);
    plan.chosenCards().slice(0, CARDS_ASKED).forEach((card) => cardAnswers(view, plan, dl, card));
  });
}
