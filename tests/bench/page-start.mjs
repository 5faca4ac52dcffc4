// Where the page's start-up time goes, per state (default, fine-tuning link,
// vLLM link, pasted config.json): navigation to the first complete tables and
// to the live estimator's tables, and a full recompute, over N cold loads of
// dist/index.html from file:// (the figures `make bench` publishes, fewer loads).
//   node tests/bench/page-start.mjs [N]
import { pageStates } from './page-states.mjs';

const rows = await pageStates(+process.argv[2] || 7, 15);
for (const r of rows) console.log(JSON.stringify(r));
