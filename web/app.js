// The calculator page: reads the inputs, asks the estimator for each table
// row, renders. Classic script (inlined into dist/index.html, works from file://).
(function () {
  'use strict';

  var INFERENCE_ROWS = [
    { label: '16-bit', weights: 'bf16' },
    { label: '8-bit', weights: 'int8' },
    { label: '4-bit', weights: 'int4' },
  ];
  var FINETUNE_ROWS = [
    { label: 'Full', method: 'full' },
    { label: 'LoRA', method: 'lora' },
    { label: 'QLoRA (8-bit)', method: 'qlora-8bit' },
    { label: 'QLoRA (4-bit)', method: 'qlora-4bit' },
  ];
  var INFERENCE_COLUMNS = ['weights', 'kv_cache', 'activations', 'overhead'];
  var FINETUNE_COLUMNS = ['weights', 'gradients', 'optimizer', 'activations', 'overhead'];

  var $ = function (id) { return document.getElementById(id); };
  var estimator = null;

  /** Decimal GB, at most two decimals: 87.4, 0.14, 14. */
  function gb(bytes) {
    return String(Number((bytes / 1e9).toFixed(2))) + ' GB';
  }

  function component(report, id) {
    for (var i = 0; i < report.components.length; i++)
      if (report.components[i].id === id) return report.components[i];
    return { bytes: 0, formula: '' };
  }

  function cell(tr, text, title, cls) {
    var td = document.createElement('td');
    td.textContent = text;
    if (title) td.title = title;
    if (cls) td.className = cls;
    tr.appendChild(td);
  }

  function renderTable(tbody, rows, columns, reportFor) {
    tbody.textContent = '';
    rows.forEach(function (row) {
      var tr = document.createElement('tr');
      var th = document.createElement('th');
      th.scope = 'row';
      th.textContent = row.label;
      tr.appendChild(th);
      var report = reportFor ? reportFor(row) : null;
      columns.forEach(function (id) {
        if (!report || !report.ok) return cell(tr, '…');
        var c = component(report, id);
        cell(tr, gb(c.bytes), c.formula);
      });
      cell(tr, report && report.ok ? gb(report.totalBytes) : '…', '', 'total');
      tr.dataset.row = row.method || row.weights;
      tbody.appendChild(tr);
    });
  }

  function showError(message) {
    var el = $('error');
    el.hidden = !message;
    el.textContent = message || '';
    $('params').setAttribute('aria-invalid', message ? 'true' : 'false');
  }

  function update() {
    var text = $('params').value.trim();
    var billions = Number(text);
    if (!estimator) return;
    if (text === '' || !isFinite(billions) || billions <= 0) {
      showError('Parameters: enter a positive number of billions, e.g. 7');
      return;
    }
    var model = { params: billions * 1e9 };
    var reports = [];
    INFERENCE_ROWS.concat(FINETUNE_ROWS).forEach(function (row) {
      var req = { model: model, estimator: 'simple' };
      if (row.method) { req.task = 'finetune'; req.method = row.method; }
      else { req.task = 'inference'; req.weights = row.weights; }
      reports.push(estimator.estimate(req));
    });
    var failed = reports.filter(function (r) { return !r.ok; })[0];
    if (failed) {
      var e = failed.errors[0];
      showError((e.field === 'model.params' ? 'Parameters' : e.field) + ': ' + e.message);
      return;
    }
    showError('');
    var i = 0;
    renderTable($('inference-table').tBodies[0], INFERENCE_ROWS, INFERENCE_COLUMNS, function () { return reports[i++]; });
    renderTable($('finetune-table').tBodies[0], FINETUNE_ROWS, FINETUNE_COLUMNS, function () { return reports[i++]; });
    document.body.dataset.ready = 'true';
  }

  // The tables exist before the WASM is ready; they fill in when it is.
  renderTable($('inference-table').tBodies[0], INFERENCE_ROWS, INFERENCE_COLUMNS, null);
  renderTable($('finetune-table').tBodies[0], FINETUNE_ROWS, FINETUNE_COLUMNS, null);
  $('params').addEventListener('input', update);
  $('inputs').addEventListener('submit', function (e) { e.preventDefault(); });

  createEstimator().then(function (est) {
    estimator = est;
    update();
  }, function (err) {
    showError('The estimator could not start: ' + (err && err.message ? err.message : err));
  });
})();
