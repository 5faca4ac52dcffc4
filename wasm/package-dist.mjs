// Adds the npm package's own files to dist/, beside what web/build.mjs wrote:
//   dist/cli.js       the `llmmem` command (wasm/cli.js), executable
//   node wasm/package-dist.mjs <out dir>
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [outDir = 'dist'] = process.argv.slice(2);

mkdirSync(outDir, { recursive: true });
copyFileSync(join(here, 'cli.js'), join(outDir, 'cli.js'));
chmodSync(join(outDir, 'cli.js'), 0o755);
console.log(`wrote ${join(outDir, 'cli.js')}`);
