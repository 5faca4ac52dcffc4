// CPU profile of one cold load of dist/index.html (to a .cpuprofile file).
//   node tests/bench/page-profile.mjs OUT.cpuprofile
import { writeFileSync } from 'node:fs';
import { openPage, pageUrl } from '../browser/browser.mjs';

const b = await openPage('about:blank');
const cdp = await b.page.context().newCDPSession(b.page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
await cdp.send('Profiler.start');
await b.page.goto(process.env.PAGE_URL || pageUrl);
await b.page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
const { profile } = await cdp.send('Profiler.stop');
writeFileSync(process.argv[2], JSON.stringify(profile));
await b.close();
