// dist/index.html: the calculator on the whole page, its state in the URL hash.
(function () {
  'use strict';
  var snapshot = null;
  try {
    var data = document.getElementById('llmmem-snapshot');
    snapshot = data ? JSON.parse(data.textContent) : null;
  } catch (e) {
    snapshot = null;
  }
  LlmmemApp.mount(document.querySelector('.llmmem'), { hash: true, snapshot: snapshot });
})();
