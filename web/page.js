// dist/index.html: the calculator on the whole page, its state in the URL hash.
(function () {
  'use strict';
  LlmmemApp.mount(document.querySelector('.llmmem'), { hash: true });
})();
