// "What fits": the inverse questions the core answers for the focus request on
// each chosen card (longest context, largest batch, best format, cards needed),
// and vLLM's own KV-cache capacity where the report carries it.
import { el } from './dom.js';
import { formatBytes, grouped, shortGpuName } from './format.js';

const CARDS_ASKED = 3;

function answer(dl, question, text) {
  dl.appendChild(el('dt', question));
  dl.appendChild(el('dd', text));
}

/** vLLM sizes its KV pool by the card: what the focus report says for the first card. */
function poolAnswers(view, dl, report) {
  const pool = report && report.ok && report.vllm;
  if (!pool || typeof pool.kvCapacityTokens !== 'number') return;
  answer(dl, 'vLLM KV cache capacity (' + formatBytes(pool.kvPoolBytes, view.state.unit) + ' pool)', grouped(pool.kvCapacityTokens) + ' tokens');
  if (typeof pool.maxConcurrentSeqs === 'number')
    answer(dl, 'Concurrent sequences of ' + grouped(view.state.seqLen) + ' tokens', grouped(pool.maxConcurrentSeqs));
}

function contextText(view, seq) {
  if (!seq.ok) return '–';
  if (seq.value === 0) return 'none: even 1 token does not fit';
  const preset = view.state.mode !== 'params' && view.presetById[view.state.model];
  const capped = !seq.capped ? '' : preset && seq.value === preset.maxContext ? " (the model's maximum)" : ' or more';
  return grouped(seq.value) + ' tokens' + capped;
}

function batchText(batch) {
  if (!batch.ok) return '–';
  return batch.value === 0 ? 'none: even batch 1 does not fit' : String(batch.value) + (batch.capped ? ' or more' : '');
}

function cardsText(need, name, limit) {
  if (!need.ok) return '–';
  if (!need.value) return 'more than ' + grouped(limit);
  return need.value + ' × ' + name + (need.basis === 'even-split' ? ' (memory split evenly)' : '');
}

/** The four questions for one card. */
function cardAnswers(view, plan, dl, card) {
  const { state, est } = view;
  const req = plan.focusRequest();
  const name = shortGpuName(card.name);
  const budget = card.usableBytes;
  const what = state.task === 'finetune' ? plan.focusName() : plan.focusFormat() + ' on ' + state.engine;
  answer(dl, 'Longest context on one ' + name + ' (' + what + ', batch ' + state.batch + ')', contextText(view, est.maxSeqLen(req, budget)));
  answer(dl, 'Largest batch on one ' + name + ' (' + grouped(state.seqLen) + ' tokens)', batchText(est.maxBatch(req, budget)));
  if (state.task === 'inference') {
    const formats = plan.formats();
    const best = est.bestFormat(req, budget, formats);
    answer(dl, 'Most precise ' + state.engine + ' format that fits one ' + name, !best.ok ? '–' : best.value || 'none of ' + formats.join(', '));
  }
  answer(dl, 'Cards needed (' + name + ')', cardsText(est.gpusNeeded(req, budget, plan.maxCards()), name, plan.maxCards()));
}

/**
 * Fills the "What fits" list.
 * @param {object} focusReport the focus row's report (from the tables), or null
 */
export function renderAnswers(view, plan, focusReport) {
  const dl = view.$('answers-list');
  dl.textContent = '';
  if (view.state.task === 'inference') poolAnswers(view, dl, focusReport);
  plan.chosenCards().slice(0, CARDS_ASKED).forEach((card) => cardAnswers(view, plan, dl, card));
}
