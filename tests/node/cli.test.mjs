// The `llmmem` command (dist/cli.js): --json is the report of exactly the
// request it built, the flags come from est.schema(), bad input exits 2 naming
// the flag, and the tables are the page's rows, plain when not a terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEstimator, readJson, root } from './helpers.mjs';

const cli = join(root, 'dist', 'cli.js');
const { run } = createRequire(import.meta.url)(cli);
const plainEnv = { ...process.env, NO_COLOR: '' };

/** The command in a process of its own: {code, stdout, stderr}. */
export function llmmemProcess(args, { bin = cli } = {}) {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env: plainEnv, maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

/** The same command line in this process (cli.js's run() on the shared module): fast enough for many cases. */
async function llmmem(args, { env = plainEnv } = {}) {
  return run(await loadEstimator(), args, { env, isTTY: false });
}

const tmp = mkdtempSync(join(tmpdir(), 'llmmem-cli-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const configPath = join(tmp, 'config.json');
writeFileSync(configPath, JSON.stringify(readJson(join(root, 'tests', 'data', 'model-configs.json'))[0]));

const CASES = [
  ['llama-3.1-8b', '--engine', 'vllm', '--gpu', 'rtx-4090', '--context', '32k'],
  ['meta-llama/Llama-3.1-8B', '--engine', 'llama.cpp', '--weights', 'q5_k_m', '--kv-cache', 'q8_0', '-c', '128k', '--ubatch', '1K'],
  [configPath, '--task', 'finetune', '--method', 'qlora-4bit', '--lora-targets', 'q_proj,v_proj', '--gradient-checkpointing'],
  ['--params', '7b', '--task', 'finetune', '--no-gradient-checkpointing', '--optimizer', 'adamw-8bit'],
  ['qwen3-30b-a3b', '--engine=vllm', '--gpus', '4', '--tensor-parallel', '4', '--max-model-len', '1M', '--no-cuda-graphs'],
  ['llama-3.1-70b', '--task', 'finetune', '--zero-stage', '3', '--gpus', '8', '--cpu-offload', 'optimizer', '--gpu-memory', '80GiB'],
];

test('--json prints estimate() of exactly the request --request prints', async () => {
  const est = await loadEstimator();
  const runs = await Promise.all(CASES.map((args) => llmmem([...args, '--request', '--json'])));
  runs.forEach((run, i) => {
    assert.equal(run.code, 0, `${CASES[i].join(' ')}: ${run.stderr}`);
    const [requestLine, reportLine, extra] = run.stdout.split('\n');
    assert.equal(extra, '');
    const request = JSON.parse(requestLine);
    assert.equal(reportLine, JSON.stringify(est.estimate(request)), CASES[i].join(' '));
    assert.equal(JSON.parse(reportLine).ok, true, CASES[i].join(' '));
  });
  const alone = await llmmemProcess(CASES[0].concat('--json'));
  assert.equal(alone.code, 0);
  assert.equal(alone.stdout, runs[0].stdout.split('\n')[1] + '\n');
});

test('the request holds the values the flags say', async () => {
  const [vllm, llama, config, params, moe, zero] = await Promise.all(CASES.map((args) => llmmem([...args, '--request'])));
  assert.deepEqual(JSON.parse(vllm.stdout), { model: { preset: 'llama-3.1-8b' }, engine: 'vllm', weights: 'bf16', seqLen: 32768, gpu: 'rtx-4090' });
  assert.deepEqual(JSON.parse(llama.stdout), {
    model: { preset: 'llama-3.1-8b' }, engine: 'llama.cpp', weights: 'q5_k_m', kvCache: 'q8_0', seqLen: 131072, ubatch: 1024,
  });
  const fromConfig = JSON.parse(config.stdout);
  assert.equal(typeof fromConfig.model.configJson, 'string');
  assert.deepEqual(fromConfig.loraTargets, ['q_proj', 'v_proj']);
  assert.equal(fromConfig.gradientCheckpointing, true);
  assert.deepEqual(JSON.parse(params.stdout), {
    model: { params: 7e9 }, task: 'finetune', method: 'full', optimizer: 'adamw-8bit', gradientCheckpointing: false,
  });
  assert.equal(JSON.parse(moe.stdout).maxModelLen, 1048576);
  assert.equal(JSON.parse(moe.stdout).cudaGraphs, false);
  assert.equal(JSON.parse(zero.stdout).gpuMemoryBytes, 80 * 2 ** 30);
});

test('every request field of the schema is a flag, named in --help', async () => {
  const est = await loadEstimator();
  const help = await llmmem(['--help']);
  assert.equal(help.code, 0);
  const kebab = (name) => name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
  for (const field of est.schema().fieldOrder) {
    if (est.schema().fields[field].type === 'model') continue;
    assert.match(help.stdout, new RegExp(`--${kebab(field)}\\b`), field);
  }
  assert.ok(help.stdout.split('\n').every((line) => line.length <= 100));
  const version = await llmmemProcess(['--version']);
  assert.match(version.stdout, /^llmmem \d+\.\d+\.\d+ \(schema \d+\)\n$/);
});

const BAD = [
  [['llama-3.1-8b', '--contxt', '8k'], /^llmmem: unknown flag --contxt; did you mean --context\?\n$/],
  [['llama-3.1-8b', '--seq-len', '0'], /^llmmem: --seq-len must be a positive integer \(got 0\)\n$/],
  [['llama-3.1-8b', '-c', 'lots'], /^llmmem: -c must be a positive integer \(got "lots"\)\n$/],
  [['llama-3.1-8b', '--engine', 'vlm'], /^llmmem: --engine must be .*"vllm".*\(got "vlm"\)\n$/],
  [['llama-3.1-8b', '--engine'], /^llmmem: --engine needs a value/],
  [['llama-3.1-8b', '--zero-stage', '5'], /^llmmem: --zero-stage is too large/],
  [['llama-3.1-8b', '--swa-full=maybe'], /^llmmem: --swa-full must be true or false/],
  [['llama-3.1-8b', '--gpus', '3', '--tensor-parallel', '2', '--engine', 'vllm'], /^llmmem: --tensor-parallel must divide gpus/],
  [['llama-3.1-8b', '--gpu', 'rtx-4999'], /^llmmem: --gpu must be an id from gpus\(\) \(got "rtx-4999"\); did you mean rtx-4090\?/],
  [['llama-3.1-8b', '--gpu', 'h100'], /^llmmem: --gpu "h100" matches several cards: h100-pcie-80gb/],
  [['llama-3.1-8b', '--units', 'mb'], /^llmmem: --units must be gb or gib/],
  [['--params', 'seven'], /^llmmem: --params must be a parameter count/],
  [['llama3-8b'], /^llmmem: "llama3-8b" is not a preset id.*did you mean llama-3.1-8b\?/],
  [['model.Q4_K_M.gguf'], /^llmmem: cannot read model\.Q4_K_M\.gguf: ENOENT/],
  [['plan', 'llama-3.1-8b'], /^llmmem: llmmem plan needs a card/],
  [[], /^llmmem: no model/],
  [['llama-3.1-8b', 'qwen3-8b'], /^llmmem: unexpected argument "qwen3-8b"/],
  [[join(tmp, 'missing', 'config.json')], /is not a preset id, the Hugging Face id of one, or a file/],
];

test('bad input exits 2 with one message naming the flag, and nothing on stdout', async () => {
  const runs = await Promise.all(BAD.map(([args]) => llmmem(args)));
  runs.forEach((run, i) => {
    const [args, message] = BAD[i];
    assert.equal(run.code, 2, args.join(' '));
    assert.match(run.stderr, message, args.join(' '));
    assert.equal(run.stdout, '', args.join(' '));
  });
});

test('in a process of its own, bad input exits 2 and a help text exits 0', async () => {
  const [bad, help] = await Promise.all([llmmemProcess(['llama-3.1-8b', '--batchsize', '4']), llmmemProcess(['-h'])]);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, 'llmmem: unknown flag --batchsize; did you mean --batch?\n');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^llmmem \d/);
});

test('a broken config.json is named by its path', async () => {
  const broken = join(tmp, 'broken.json');
  writeFileSync(broken, '{"model_type": "llama"}');
  const run = await llmmem([broken]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, new RegExp(`^llmmem: ${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\w+ is required`));
});

// The verdict the command prints for a request: the core's fit, else its plan (as the page says it).
function expectedVerdict(est, request) {
  const r = est.estimate(request);
  if (r.fit.ok) return 'fits on 1 × RTX 4090';
  const plan = est.plan(request, { maxGpus: 8 });
  const other = Object.keys(plan.changes).filter((k) => !['gpus', 'tensorParallel', 'zeroStage'].includes(k));
  return other.length ? `fits on ${plan.gpus} × RTX 4090${plan.summary.slice(plan.summary.indexOf(' with '))}` : `needs ${plan.gpus} × RTX 4090`;
}

test('the inference table has the engine\'s 16/8/4-bit rows and the core\'s verdict per row', async () => {
  const est = await loadEstimator();
  const run = await llmmem(CASES[0]);
  assert.equal(run.code, 0, run.stderr);
  const rows = est.schema().engines.find((e) => e.id === 'vllm').rows;
  for (const [i, format] of rows.entries()) {
    const request = { model: { preset: 'llama-3.1-8b' }, engine: 'vllm', weights: format, seqLen: 32768, gpu: 'rtx-4090' };
    const total = (est.estimate(request).totalBytes / 1e9).toFixed(2);
    const label = ['16-bit', '8-bit', '4-bit'][i];
    const line = run.stdout.split('\n').find((l) => l.startsWith(label));
    assert.match(line, new RegExp(`\\s${format}\\s.*\\s${total.replace('.', '\\.')}(\\s|$)`));
    // vLLM's default max_model_len (131,072) does not fit a 24 GB card: the plan says what does.
    const verdict = expectedVerdict(est, request);
    assert.ok(run.stdout.split('\n').some((l) => l.startsWith(label) && l.endsWith(verdict)), verdict);
  }
  assert.doesNotMatch(run.stdout, /\x1b\[/);
  assert.ok(run.stdout.split('\n').every((line) => line.length <= 100));
});

test('the fine-tuning table has the four methods; the verdicts come from fit and plan', async () => {
  const est = await loadEstimator();
  const run = await llmmem(['llama-3.1-8b', '--task', 'finetune', '--gpu', 'rtx-4090']);
  assert.equal(run.code, 0, run.stderr);
  for (const label of ['Full', 'LoRA', 'QLoRA 8-bit', 'QLoRA 4-bit']) assert.match(run.stdout, new RegExp(`^${label}\\s`, 'm'));
  const full = { model: { preset: 'llama-3.1-8b' }, task: 'finetune', method: 'full', gpu: 'rtx-4090' };
  const verdict = expectedVerdict(est, full);
  assert.ok(run.stdout.split('\n').some((l) => l.startsWith('Full') && l.endsWith(verdict)), verdict);
  assert.ok(run.stdout.split('\n').every((line) => line.length <= 100));
});

test('llmmem plan prints the core\'s plan; --json prints it whole', async () => {
  const est = await loadEstimator();
  const args = ['plan', 'llama-3.1-70b', '--task', 'finetune', '--gpu', 'h100-sxm-80gb', '--max-gpus', '8'];
  const [text, json] = await Promise.all([llmmem(args), llmmem([...args, '--json'])]);
  const plan = est.plan({ model: { preset: 'llama-3.1-70b' }, task: 'finetune', gpu: 'h100-sxm-80gb' }, { maxGpus: 8 });
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(JSON.parse(json.stdout), plan);
  // Needs CPU offload since #17 (FSDP root unit, allocator reserve), as torchtune's 70B_full.yaml.
  assert.match(text.stdout, /^Fits on \d × NVIDIA H100 SXM 80GB with ZeRO-3, gradient checkpointing and optimizer states and parameters offloaded to the CPU\.$/m);
  assert.match(text.stdout, /--gradient-checkpointing true/);
  assert.equal((await llmmem(['plan', 'llama-3.1-8b', '--gpu', 'rtx-4090', '--max-gpus', '0'])).code, 2);
});

test('colour only on request: --color adds it, NO_COLOR and --no-color keep it off', async () => {
  const [forced, off, env] = await Promise.all([
    llmmem(['llama-3.1-8b', '--color']),
    llmmem(['llama-3.1-8b', '--color', '--no-color']),
    llmmem(['llama-3.1-8b'], { env: { ...process.env, NO_COLOR: '1' } }),
  ]);
  assert.match(forced.stdout, /\x1b\[1m/);
  assert.doesNotMatch(off.stdout, /\x1b\[/);
  assert.doesNotMatch(env.stdout, /\x1b\[/);
});

test('list, gpus and formats print the catalogs and the schema', async () => {
  const est = await loadEstimator();
  const [list, qwen, gpus, formats] = await Promise.all([
    llmmem(['list', '--json']), llmmem(['list', 'qwen', '7b']), llmmem(['gpus']), llmmem(['formats', '--json']),
  ]);
  assert.equal(list.stdout, JSON.stringify(est.presets()) + '\n');
  assert.match(qwen.stdout, /^qwen2\.5-7b\s/m);
  assert.doesNotMatch(qwen.stdout, /qwen3-1\.7b/);
  assert.equal(gpus.stdout.trim().split('\n').length, est.gpus().length + 1);
  assert.deepEqual(JSON.parse(formats.stdout).engines, est.schema().engines);
});

test('a .gguf file: its header alone gives the model, llama.cpp, its type and its exact tensor bytes', async () => {
  const { llamaGguf } = await import('../data/model-files.mjs');
  const { closeSync, ftruncateSync, openSync, writeSync } = await import('node:fs');
  // 205 MB on disk as a sparse file: the header, then a hole.
  const g = llamaGguf({ layers: 4, hidden: 2048, heads: 16, kvHeads: 4, ffn: 5632, vocab: 32000 });
  const file = join(tmp, 'test-Q4_K_M.gguf');
  const fd = openSync(file, 'w');
  writeSync(fd, g.header);
  ftruncateSync(fd, g.fileBytes);
  closeSync(fd);
  const r = await llmmem([file, '--request', '--json', '-c', '4096']);
  assert.equal(r.code, 0, r.stderr);
  const [request, report] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(request.engine, 'llama.cpp');
  assert.equal(request.weights, 'q4_k_m');
  assert.equal(request.weightsBytes, g.tensorBytes);
  assert.equal(report.params.total, g.params);
  assert.match(report.components[0].formula, /^the files' tensors: 205,123,584 B/);
  // Another format on the command line: the file's bytes are not its.
  const q8 = await llmmem([file, '--weights', 'q8_0', '--request']);
  assert.equal(JSON.parse(q8.stdout).weightsBytes, undefined);
  // The table: the file's row only.
  const table = await llmmem([file]);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /205,123,584 bytes of tensors/);
});
