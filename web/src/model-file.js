// Model files opened on the page: a .gguf, .safetensors or
// model.safetensors.index.json (and a config.json beside them), read from their
// headers alone with File.slice, never loaded whole (a 40 GB file costs a few
// MB). The core reads the bytes (est.readModelFile) and says when it needs
// more; this file only slices, shows what was read and keeps what the
// requests take from it: the model's config and the files' exact weight bytes.
import { el } from './dom.js';
import { formatBytes, grouped } from './format.js';

// The first read; the core's needBytes (or twice as much) follows until the header is whole.
const FIRST_READ = 1 << 20;
const MAX_READS = 40;

/** One file's header, read in growing slices. */
export async function readModelHeader(est, file) {
  let size = Math.min(file.size, FIRST_READ);
  let info = null;
  for (let i = 0; i < MAX_READS; i++) {
    const bytes = new Uint8Array(await file.slice(0, size).arrayBuffer());
    info = est.readModelFile(bytes, file.name, file.size);
    if (!info.needBytes) return info;
    const next = Math.min(file.size, Math.max(info.needBytes, size * 2));
    if (next <= size) break;
    size = next;
  }
  return info;
}

/**
 * What the requests take from the files read: a config (GGUF metadata or a
 * config.json), the engine and format a GGUF names, and the weights' exact
 * bytes (an index's total, else the sum over the weight files: shards add up).
 */
export function modelFromFiles(infos) {
  const ok = infos.filter((i) => i.ok);
  const index = ok.find((i) => i.kind === 'safetensors-index');
  const weightFiles = ok.filter((i) => i.kind === 'gguf' || i.kind === 'safetensors');
  const configInfo = ok.find((i) => i.kind === 'config') || ok.find((i) => i.kind === 'gguf');
  const gguf = ok.find((i) => i.kind === 'gguf');
  const bytes = index ? index.weightsBytes : weightFiles.reduce((a, i) => a + i.weightsBytes, 0);
  // A split GGUF counts only when every part was given.
  const split = ok.find((i) => i.split);
  const missing = split && ok.filter((i) => i.split).length < split.split.count;
  const from = index ? [index] : weightFiles;
  return {
    config: configInfo ? configInfo.config : null,
    engine: gguf ? gguf.request.engine : null,
    weights: from.length && from[0].request.weights ? from[0].request.weights : null,
    weightsBytes: bytes > 0 && !missing ? bytes : 0,
    missing: missing ? 'GGUF part' + (split.split.count > 1 ? 's' : '') + ' missing: select all ' + split.split.count + ' for the exact weights' : '',
    names: from.map((i) => i.name),
  };
}

function typeTable(info) {
  const table = el('table', null, 'file-types');
  const head = el('tr');
  ['type', 'tensors', 'bytes'].forEach((h) => head.appendChild(el('th', h)));
  table.appendChild(head);
  (info.byType || []).forEach((row) => {
    const tr = el('tr');
    tr.appendChild(el('td', row.type));
    tr.appendChild(el('td', grouped(row.tensors), 'num'));
    tr.appendChild(el('td', grouped(row.bytes), 'num'));
    table.appendChild(tr);
  });
  return table;
}

const KIND_NAMES = { gguf: 'GGUF', safetensors: 'safetensors', 'safetensors-index': 'safetensors index', config: 'config.json' };

function describe(info, unit) {
  const parts = [KIND_NAMES[info.kind] || 'file'];
  if (info.kind === 'gguf') parts[0] += ' v' + info.version;
  if (info.split) parts.push('part ' + (info.split.index + 1) + ' of ' + info.split.count);
  if (info.architecture) parts.push('architecture ' + info.architecture + (info.modelType && info.modelType !== info.architecture ? ' (' + info.modelType + ')' : ''));
  if (info.fileType) parts.push(info.fileType);
  if (info.quantization) parts.push(info.quantization);
  if (info.tensorCount !== undefined) parts.push(grouped(info.tensorCount) + ' tensors');
  if (info.shards) parts.push(grouped(info.shards.length) + ' shards');
  if (info.headerBytes) parts.push('header ' + grouped(info.headerBytes) + ' bytes');
  const box = el('div', null, 'file-read');
  box.dataset.kind = info.kind || '';
  box.appendChild(el('p', (info.name || '') + ': ' + parts.join(' · '), 'file-name'));
  if (info.weightsBytes !== undefined) {
    const w = el('p', 'Weights: ' + grouped(info.weightsBytes) + ' bytes (' + formatBytes(info.weightsBytes, unit) + '), the sum of its tensors', 'file-weights');
    w.dataset.bytes = String(info.weightsBytes);
    box.appendChild(w);
  }
  if (info.byType && info.byType.length) box.appendChild(typeTable(info));
  (info.warnings || []).forEach((w) => box.appendChild(el('p', w, 'file-warning')));
  (info.errors || []).forEach((e) => box.appendChild(el('p', e.message, 'error-line')));
  return box;
}

/** The panel under the model inputs: each file read, and what the tables now use. */
export function renderModelFiles(view, infos, used) {
  const out = view.$('model-file-info');
  out.textContent = '';
  out.hidden = !infos || !infos.length;
  if (out.hidden) return;
  infos.forEach((info) => out.appendChild(describe(info, view.state.unit)));
  const parts = modelFromFiles(infos);
  if (parts.missing) out.appendChild(el('p', parts.missing, 'file-warning'));
  if (used && used.weightsBytes) {
    const p = el('p', 'The tables use ' + grouped(used.weightsBytes) + ' bytes of weights from ' + used.names.join(', ') + ' for ' + (used.weights || 'the 16-bit row') + '; the other rows are estimates.', 'file-used');
    p.dataset.bytes = String(used.weightsBytes);
    out.appendChild(p);
  }
}
