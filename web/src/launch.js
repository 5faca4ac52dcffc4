// The engine's launch line that matches the focus row's estimate, and the
// lines of the engine's log to compare the estimate with. Built from the
// request and report.settings (the engine's resolved defaults); which engine
// is which is read from the schema (the fields that apply to it), not from
// engine names written here.
import { appliesTo, choiceLabel } from './schema.js';
import { grouped } from './format.js';

const GIB = 1073741824;
const MIB = 1024 * 1024;
// llama.cpp's "all layers on the GPU".
const ALL_LAYERS = 999;

/** The first number in a settings text ('131,072 (model default)' -> 131072), or null. */
function numberIn(text) {
  const m = String(text === undefined ? '' : text).replace(/,/g, '').match(/[0-9]+(\.[0-9]+)?/);
  return m ? Number(m[0]) : null;
}

const componentBytes = (report, id) => (report.components.find((c) => c.id === id) || { bytes: 0 }).bytes;

function modelName(view) {
  const preset = view.state.mode === 'preset' && view.presetById[view.state.model];
  return preset && preset.hfId ? preset.hfId : '<your model>';
}

/** vLLM's quantization method for a format: bitsandbytes, awq, gptq, fp8; none for 16 bits and up. */
function quantization(schema, weights) {
  const w = schema.weights.find((x) => x.id === weights);
  if (!w || w.bits >= 16) return '';
  return /bitsandbytes/i.test(w.label) ? 'bitsandbytes' : weights.split('-')[0];
}

function servingLine(view, request, report) {
  const set = report.settings || {};
  const parts = ['vllm serve', modelName(view), '--max-model-len', request.maxModelLen || numberIn(set.max_model_len),
    '--gpu-memory-utilization', request.gpuMemoryUtilization || numberIn(set.gpu_memory_utilization), '-tp', request.tensorParallel || 1];
  if (request.kvCache) parts.push('--kv-cache-dtype', request.kvCache);
  const q = quantization(view.schema, request.weights);
  if (q) parts.push('--quantization', q);
  if (request.maxNumSeqs) parts.push('--max-num-seqs', request.maxNumSeqs);
  const log = report.vllm && typeof report.vllm.kvPoolBytes === 'number' ? ['Available KV cache memory: ' + (report.vllm.kvPoolBytes / GIB).toFixed(2) + ' GiB',
    'GPU KV cache size: ' + grouped(report.vllm.kvCapacityTokens) + ' tokens'] : [];
  return { command: parts.join(' '), log };
}

function ggufLine(view, request, report) {
  const set = report.settings || {};
  const file = modelName(view).split('/').pop() + '-' + request.weights.toUpperCase() + '.gguf';
  const kv = String(set['kv cache'] || request.kvCache || '').split(' ')[0];
  const layers = request.gpuLayers !== undefined ? request.gpuLayers : ALL_LAYERS;
  const parts = ['llama-server -m', file, '-c', numberIn(set.n_ctx) || request.seqLen, '-ngl', layers];
  if (kv) parts.push('-ctk', kv, '-ctv', kv);
  if (request.ubatch) parts.push('-ub', request.ubatch);
  if (request.batch > 1) parts.push('-np', request.batch);
  return { command: parts.join(' '), log: ['llama_kv_cache: CUDA0 KV buffer size = ' + (componentBytes(report, 'kv_cache') / MIB).toFixed(2) + ' MiB',
    'CUDA0 compute buffer size = ' + (componentBytes(report, 'activations') / MIB).toFixed(2) + ' MiB'] };
}

function transformersLine(view, request, report) {
  const label = view.schema.weights.find((w) => w.id === request.weights);
  return { command: 'AutoModelForCausalLM.from_pretrained("' + modelName(view) + '", device_map="auto")  # ' + (label ? label.label : request.weights) +
    ', ' + grouped(request.seqLen) + ' tokens, batch ' + request.batch,
  log: ['torch.cuda.max_memory_reserved() ≈ ' + (report.totalBytes / GIB).toFixed(2) + ' GiB, plus the CUDA context nvidia-smi adds'] };
}

function trainingLine(view, request, report) {
  const s = view.schema;
  const parts = ['per_device_train_batch_size=' + request.batch, 'max_seq_length=' + request.seqLen,
    'gradient_checkpointing=' + (request.gradientCheckpointing ? 'True' : 'False'), 'optimizer: ' + choiceLabel(s, 'optimizer', request.optimizer)];
  if (request.zeroStage) parts.push('DeepSpeed ZeRO stage ' + request.zeroStage + ' on ' + request.gpus + ' GPUs');
  if (request.cpuOffload) parts.push('offload to CPU: ' + choiceLabel(s, 'cpuOffload', request.cpuOffload));
  const precision = request.trainingPrecision || (report.settings || {}).trainingPrecision;
  if (precision) parts.push('precision: ' + choiceLabel(s, 'trainingPrecision', precision));
  if (request.method !== s.fields.method.values[0]) parts.push('LoRA r=' + request.loraRank + ' on ' + [].concat(request.loraTargets).join(', '));
  const trainer = (report.settings || {}).trainer;
  if (trainer) parts.push('trainer: ' + trainer);
  // The three readings of the core's report (memory) and the measured range around the total.
  const m = report.memory || { allocatedBytes: report.totalBytes, reservedBytes: report.totalBytes, deviceBytes: report.totalBytes };
  const gib = (b) => (b / GIB).toFixed(2) + ' GiB';
  const log = ['torch.cuda.max_memory_allocated() per GPU ≈ ' + gib(m.allocatedBytes),
    'torch.cuda.max_memory_reserved() per GPU ≈ ' + gib(m.reservedBytes),
    'nvidia-smi per GPU ≈ ' + gib(m.deviceBytes) + (report.range ? ' (measured runs like it: ' + gib(report.range.lowBytes) + ' to ' + gib(report.range.highBytes) + ')' : '')];
  return { command: parts.join(', '), log };
}

/**
 * The launch line and log lines for a row's request and report (on its first card).
 * @returns {{command: string, log: string[]}}
 */
export function launchFor(view, request, report) {
  if (request.task === 'finetune') return trainingLine(view, request, report);
  if (appliesTo(view.schema, 'maxModelLen', request.engine)) return servingLine(view, request, report);
  if (appliesTo(view.schema, 'gpuLayers', request.engine)) return ggufLine(view, request, report);
  return transformersLine(view, request, report);
}
