// Adds the npm package's own files to dist/, beside what web/build.mjs wrote:
//   dist/cli.js       the `llmmem` command (wasm/cli.js), executable
//   dist/llmmem.mjs   the ES-module entry: `import createEstimator from 'llmmem'`
//   dist/llmmem.d.ts  the TypeScript declarations (wasm/llmmem.d.ts)
//   node wasm/package-dist.mjs <out dir>
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [outDir = 'dist'] = process.argv.slice(2);

// Node's ES modules load the CommonJS module through createRequire, so the
// package ships the WebAssembly once.
const esm = `// ES-module entry of llmmem (written by wasm/package-dist.mjs): the factory of llmmem.js.
import { createRequire } from 'node:module';

const createEstimator = createRequire(import.meta.url)('./llmmem.js');
export default createEstimator;
`;

mkdirSync(outDir, { recursive: true });
copyFileSync(join(here, 'cli.js'), join(outDir, 'cli.js'));
chmodSync(join(outDir, 'cli.js'), 0o755);
copyFileSync(join(here, 'llmmem.d.ts'), join(outDir, 'llmmem.d.ts'));
writeFileSync(join(outDir, 'llmmem.mjs'), esm);
console.log(`wrote ${join(outDir, 'cli.js')}, llmmem.mjs, llmmem.d.ts`);
