// The npm package as a user gets it: `npm pack`, then `npm install` of the
// tarball into an empty folder (offline: the package has no dependencies).
// There the `llmmem` command, require() and import work, and the declarations
// compile under `tsc --strict` with the TypeScript pinned in package-lock.json.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { root } from './helpers.mjs';

const exec = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
let tmp;
let app;
let packed;

/** Runs a command in the installed app; {code, stdout, stderr} whatever its exit status. */
async function inApp(file, args) {
  try {
    const { stdout, stderr } = await exec(file, args, { cwd: app, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'llmmem-package-'));
  app = join(tmp, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
  const pack = await exec(npm, ['pack', '--json', '--pack-destination', tmp], { cwd: root, maxBuffer: 1 << 24 });
  packed = JSON.parse(pack.stdout)[0];
  await exec(npm, ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', join(tmp, packed.filename)], { cwd: app });
});

after(() => rmSync(tmp, { recursive: true, force: true }));

test('the tarball holds what ships and nothing else', () => {
  const files = packed.files.map((f) => f.path).sort();
  assert.deepEqual(files, [
    'README.md', 'dist/cli.js', 'dist/index.html', 'dist/llm-memory-estimator.js', 'dist/llmmem.d.ts', 'dist/llmmem.js',
    'dist/llmmem.mjs', 'package.json',
  ].concat(existsSync(join(root, 'LICENSE')) ? ['LICENSE'] : []).sort());
  const manifest = JSON.parse(readFileSync(join(app, 'node_modules', 'llmmem', 'package.json'), 'utf8'));
  assert.equal(manifest.private, undefined);
  assert.deepEqual(manifest.dependencies, undefined);
});

test('the installed `llmmem --json` is estimate() of the same request', async () => {
  const args = ['llama-3.1-8b', '--engine', 'vllm', '--gpu', 'rtx-4090', '--context', '32k', '--request', '--json'];
  const run = await inApp(join(app, 'node_modules', '.bin', 'llmmem'), args);
  assert.equal(run.code, 0, run.stderr);
  const [requestLine, reportLine] = run.stdout.split('\n');
  const est = await createRequire(join(app, 'index.js'))('llmmem')();
  assert.equal(reportLine, JSON.stringify(est.estimate(JSON.parse(requestLine))));
  const table = await inApp(join(app, 'node_modules', '.bin', 'llmmem'), ['llama-3.1-8b', '--gpu', 'rtx-4090']);
  assert.match(table.stdout, /^16-bit\s+bf16\s.*fits on 1 × RTX 4090$/m);
});

test('the installed command exits 2 on a bad flag, naming it', async () => {
  const run = await inApp(join(app, 'node_modules', '.bin', 'llmmem'), ['llama-3.1-8b', '--optimiser', 'adamw']);
  assert.equal(run.code, 2);
  assert.equal(run.stderr, 'llmmem: unknown flag --optimiser; did you mean --optimizer?\n');
  assert.equal(run.stdout, '');
});

test('require(), import and llmmem/element resolve in the installed package', async () => {
  const cjs = "require('llmmem')().then((e) => console.log(e.estimate({ model: { params: 7e9 } }).totalBytes, require.resolve('llmmem/element')))";
  const esm = "import createEstimator from 'llmmem'; const e = await createEstimator(); console.log(e.estimate({ model: { params: 7e9 } }).totalBytes)";
  const [fromCjs, fromEsm] = await Promise.all([inApp(process.execPath, ['-e', cjs]), inApp(process.execPath, ['--input-type=module', '-e', esm])]);
  assert.equal(fromCjs.code, 0, fromCjs.stderr);
  assert.equal(fromEsm.code, 0, fromEsm.stderr);
  // The seed article's 7B inference row: 14 + 1.4 + 1.4 + 2 GB (tests/data/seed-tables.csv).
  assert.equal(fromEsm.stdout, '18800000000\n');
  assert.match(fromCjs.stdout, /^18800000000 .*node_modules[/\\]llmmem[/\\]dist[/\\]llm-memory-estimator\.js\n$/);
});

test('a typed example compiles against the declarations with tsc --strict', async (t) => {
  if (!existsSync(tsc)) return t.skip('typescript is not installed (npm ci installs the pinned one)');
  copyFileSync(join(root, 'tests', 'package', 'example.ts'), join(app, 'example.ts'));
  const run = await inApp(process.execPath, [tsc, '--noEmit', '--strict', '--skipDefaultLibCheck', '--module', 'nodenext',
    '--moduleResolution', 'nodenext', '--target', 'es2022', 'example.ts']);
  assert.equal(run.code, 0, run.stdout + run.stderr);
});

test('the declarations name every field and enumerated value of the schema', async () => {
  const est = await createRequire(join(app, 'index.js'))('llmmem')();
  const schema = est.schema();
  const declarations = readFileSync(join(app, 'node_modules', 'llmmem', 'dist', 'llmmem.d.ts'), 'utf8');
  const request = declarations.slice(declarations.indexOf('interface Request {'), declarations.indexOf('// --- the report'));
  for (const field of schema.fieldOrder) {
    assert.match(request, new RegExp(`\\n    ${field}\\??:`), `Request.${field}`);
    for (const value of schema.fields[field].values || []) assert.ok(declarations.includes(`'${value}'`), `${field}: '${value}'`);
  }
  for (const w of schema.weights) assert.ok(declarations.includes(`'${w.id}'`), w.id);
});
