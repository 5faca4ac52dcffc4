// Writes the README's screenshots (docs/*.png) from dist/index.html:
//   node tests/browser/screenshots.mjs
import { join } from 'node:path';
import { openPage, pageUrl } from './browser.mjs';
import { root } from '../node/helpers.mjs';

const shots = [
  { file: 'screenshot-desktop.png', viewport: { width: 1280, height: 900 }, hash: '#v1&e=vllm&g=h100-sxm-80gb,rtx-4090' },
  { file: 'screenshot-mobile.png', viewport: { width: 360, height: 1100 } },
];
for (const s of shots) {
  const b = await openPage(pageUrl + (s.hash || ''), { viewport: s.viewport });
  await b.page.waitForSelector('.llmmem[data-charts="true"]');
  await b.page.screenshot({ path: join(root, 'docs', s.file), fullPage: true });
  await b.close();
  console.log('wrote docs/' + s.file);
}
