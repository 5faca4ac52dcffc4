// dist/index.html: the calculator on the whole page, its state in the URL hash.
// The schema and the default state's answer are data blocks web/build.mjs
// writes into the page (no script of their own, nothing for the CSP to allow).
import { mount } from './app.js';

function readData(id) {
  try {
    const block = document.getElementById(id);
    return block ? JSON.parse(block.textContent) : null;
  } catch (e) {
    return null;
  }
}

mount(document.querySelector('.llmmem'), { hash: true, schema: readData('llmmem-schema'), snapshot: readData('llmmem-snapshot') });
