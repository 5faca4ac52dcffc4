// The calculator: one state object, read from the controls, turned into
// requests, answered by the estimator, rendered as tables, charts and
// answers. Mounted on a .llmmem element, in the page or in the shadow root of
// <llm-memory-estimator>. Classic script (works from file://). Report strings
// are only ever set with textContent, never parsed as HTML.
var LlmmemApp = (function () {
  'use strict';

  var SVG = 'http://www.w3.org/2000/svg';
  var ROW_LABELS = ['16-bit', '8-bit', '4-bit'];
  var FINETUNE_ROWS = [
    { label: 'Full', method: 'full' },
    { label: 'LoRA', method: 'lora' },
    { label: 'QLoRA (8-bit)', method: 'qlora-8bit' },
    { label: 'QLoRA (4-bit)', method: 'qlora-4bit' },
  ];
  var FALLBACK_FORMATS = {
    transformers: ['bf16', 'int8', 'nf4'], vllm: ['bf16', 'fp8', 'awq-int4'], 'llama.cpp': ['f16', 'q8_0', 'q4_k_m'],
  };
  var INFERENCE_COLUMNS = ['weights', 'kv_cache', 'activations', 'overhead'];
  var FINETUNE_COLUMNS = ['weights', 'gradients', 'optimizer', 'activations', 'overhead'];
  var REQUIRED = ['weights', 'kv_cache', 'activations', 'gradients', 'optimizer', 'overhead'];
  var NAMES = {
    weights: 'Weights', kv_cache: 'KV cache', activations: 'Activations', gradients: 'Gradients',
    optimizer: 'Optimizer', overhead: 'Overhead', master_weights: 'Master weights', logits: 'Logits', adapter: 'Adapter',
  };
  var ATTENTION_TARGETS = ['q_proj', 'k_proj', 'v_proj', 'o_proj'];
  var MAX_CONFIG_CHARS = 1 << 20;

  var sharedEstimator = null;
  /** One WASM instance per page, however many calculators it holds. */
  function estimatorPromise() {
    sharedEstimator = sharedEstimator || createEstimator();
    return sharedEstimator;
  }

  function methodLabel(method) {
    for (var i = 0; i < FINETUNE_ROWS.length; i++) if (FINETUNE_ROWS[i].method === method) return FINETUNE_ROWS[i].label;
    return String(method);
  }

  function componentName(id) {
    if (NAMES[id]) return NAMES[id];
    var s = String(id).replace(/_/g, ' ');
    return s.charAt(0).toUpperCase() + s.slice(1);
  }

  /** Shortest readable number of units: at most two decimals (87.4, 0.14, 14). */
  function formatBytes(bytes, unit) {
    if (typeof bytes !== 'number' || !isFinite(bytes)) return '–';
    var div = unit === 'gib' ? 1073741824 : 1e9;
    return String(Number((bytes / div).toFixed(2))) + (unit === 'gib' ? ' GiB' : ' GB');
  }

  function formatCount(n) {
    if (!(n > 0)) return '0';
    if (n >= 1e12) return Number((n / 1e12).toFixed(2)) + ' T';
    if (n >= 1e9) return Number((n / 1e9).toFixed(2)) + ' B';
    if (n >= 1e6) return Number((n / 1e6).toFixed(1)) + ' M';
    return String(n);
  }

  function shortGpuName(name) {
    return String(name).replace(/^NVIDIA (GeForce |Tesla )?/, '').replace(/^AMD (Instinct |Radeon )?/, '').replace(/^Intel /, '');
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, String(attrs[k]));
    if (text !== undefined) e.textContent = String(text);
    return e;
  }

  function componentOf(report, id) {
    for (var i = 0; i < report.components.length; i++) if (report.components[i].id === id) return report.components[i];
    return null;
  }


  /**
   * The requests and their answers for a state, without the DOM: the page
   * uses it, and so does web/build.mjs for the answer inlined into the page.
   * @param {{state: object, gpuById: object, configText: string, est: object, formats: object}} ctx
   */
  function planner(ctx) {
    function formatsFor(engine) { return ctx.formats[engine] || FALLBACK_FORMATS.transformers; }

    // --- requests ------------------------------------------------------------
    function modelField() {
      if (ctx.state.mode === 'params') return { params: ctx.state.params * 1e9 };
      if (ctx.state.mode === 'config') return { configJson: ctx.configText };
      return { preset: ctx.state.model };
    }

    function common() {
      var r = { model: modelField(), seqLen: ctx.state.seqLen, batch: ctx.state.batch, gpus: ctx.state.gpus };
      if (ctx.state.mode === 'params') r.estimator = 'simple';
      if (ctx.state.tensorParallel !== 1) r.tensorParallel = ctx.state.tensorParallel;
      if (ctx.state.kvCache !== 'auto') r.kvCache = ctx.state.kvCache;
      if (ctx.state.attention) r.attention = ctx.state.attention;
      if (ctx.gpuById[ctx.state.gpuIds[0]]) r.gpu = ctx.state.gpuIds[0];
      return r;
    }

    function inferenceRequest(weights) {
      var r = common();
      r.task = 'inference';
      r.engine = ctx.state.engine;
      r.weights = weights;
      if (ctx.state.engine === 'llama.cpp' && ctx.state.ubatch !== '') r.ubatch = ctx.state.ubatch;
      if (ctx.state.engine === 'vllm' && ctx.state.gpuMemoryUtilization !== '') r.gpuMemoryUtilization = ctx.state.gpuMemoryUtilization;
      return r;
    }

    function finetuneRequest(method) {
      var r = common();
      r.task = 'finetune';
      r.method = method;
      r.optimizer = ctx.state.optimizer;
      r.loraRank = ctx.state.loraRank;
      r.loraTargets = ctx.state.loraTargets === 'attention' ? ATTENTION_TARGETS.slice() : 'all-linear';
      r.gradientCheckpointing = !!ctx.state.checkpointing;
      r.zeroStage = ctx.state.zeroStage;
      return r;
    }

    /** The request the charts and answers follow: the chosen task, format and method. */
    function focusRequest() {
      return ctx.state.task === 'finetune' ? finetuneRequest(ctx.state.method) : inferenceRequest(ctx.state.weights || formatsFor(ctx.state.engine)[0]);
    }

    function chosenCards() {
      return ctx.state.gpuIds.map(function (id) { return ctx.gpuById[id]; }).filter(Boolean);
    }

    function verdictFor(report, request) {
      var cards = chosenCards();
      return cards.map(function (g) {
        var name = shortGpuName(g.name);
        if (report.totalBytes <= g.usableBytes) return { fits: true, text: 'fits on ' + ctx.state.gpus + ' × ' + name };
        var need = ctx.est.gpusNeeded(request, g.usableBytes);
        if (need.ok && need.value) return { fits: false, text: 'needs ' + need.value + ' × ' + name };
        return { fits: false, text: 'does not fit on ' + name + ' cards' };
      });
    }

    /** The rows of both tables with their reports and verdicts; {failed: report} when the model is bad. */
    function tables() {
      var fmts = formatsFor(ctx.state.engine);
      var infRows = fmts.map(function (w, i) {
        var req = inferenceRequest(w);
        return { label: ROW_LABELS[i], format: w, key: w, request: req, report: ctx.est.estimate(req), focus: ctx.state.task === 'inference' && (ctx.state.weights || fmts[0]) === w };
      });
      if (!infRows[0].report.ok) return { failed: infRows[0].report };
      var ftRows = FINETUNE_ROWS.map(function (row) {
        var req = finetuneRequest(row.method);
        return { label: row.label, key: row.method, request: req, report: ctx.est.estimate(req), focus: ctx.state.task === 'finetune' && ctx.state.method === row.method };
      });
      infRows.concat(ftRows).forEach(function (r) {
        if (r.report.ok) r.verdicts = verdictFor(r.report, r.request);
      });
      return { infRows: infRows, ftRows: ftRows };
    }

    return { formatsFor: formatsFor, inferenceRequest: inferenceRequest, finetuneRequest: finetuneRequest,
      focusRequest: focusRequest, chosenCards: chosenCards, verdictFor: verdictFor, tables: tables };
  }

  /**
   * Mounts a calculator on root (a .llmmem element holding ui.html).
   * @param {Element} root
   * @param {{hash?: boolean, initial?: object, problems?: string[], onChange?: function(object): void, scope?: ParentNode}} options
   */
  function mount(root, options) {
    options = options || {};
    var scope = options.scope || root;
    var $ = function (id) { return scope.querySelector('#' + id); };
    var est = null;
    var presets = [];
    var presetById = {};
    var gpus = [];
    var gpuById = {};
    var formats = FALLBACK_FORMATS;
    var state = options.initial || LlmmemState.defaults();
    var configText = '';
    var pending = 0;
    var lastHash = '';
    var P = planner({
      get state() { return state; }, get gpuById() { return gpuById; }, get configText() { return configText; },
      get est() { return est; }, get formats() { return formats; },
    });
    var formatsFor = P.formatsFor, focusRequest = P.focusRequest, chosenCards = P.chosenCards;

    // --- controls <-> state ------------------------------------------------

    function fillWeights() {
      var sel = $('weights');
      sel.textContent = '';
      formatsFor(state.engine).forEach(function (w, i) {
        var o = el('option', ROW_LABELS[i] + ': ' + w);
        o.value = w;
        sel.appendChild(o);
      });
      var list = formatsFor(state.engine);
      if (list.indexOf(state.weights) < 0) state.weights = '';
      sel.value = state.weights || list[0];
    }

    function presetLabel(p) {
      return p.name + ' (' + p.family + ', ' + formatCount(p.params) + (p.activeParams !== p.params ? ', ' + formatCount(p.activeParams) + ' active' : '') + ')';
    }

    /** Filters the model list by every word of the search (name, family, id, size such as 8b or 70B). */
    function fillModels() {
      var sel = $('model');
      var words = $('model-search').value.toLowerCase().split(/\s+/).filter(Boolean);
      sel.textContent = '';
      presets.forEach(function (p) {
        var hay = (p.name + ' ' + p.family + ' ' + p.id + ' ' + formatCount(p.params).replace(' ', '').toLowerCase() + ' ' + (p.modelType || '')).toLowerCase();
        // A size (8b, 0.5b, 135m) matches at the start of a word; other words anywhere.
        if (!words.every(function (w) {
          if (!/^[0-9.]+[bm]$/.test(w)) return hay.indexOf(w) >= 0;
          return new RegExp('(^|[^0-9.])' + w.replace(/\./g, '\\.')).test(hay);
        })) return;
        var o = el('option', presetLabel(p));
        o.value = p.id;
        sel.appendChild(o);
      });
      if (state.mode === 'preset') sel.value = state.model;
    }

    function fillGpus() {
      var sel = $('gpu-add');
      sel.textContent = '';
      var groups = {};
      gpus.forEach(function (g) {
        var key = g.vendor + (g.segment ? ' ' + g.segment : '');
        if (!groups[key]) { groups[key] = el('optgroup'); groups[key].label = key; sel.appendChild(groups[key]); }
        var o = el('option', shortGpuName(g.name) + ' (' + formatBytes(g.usableBytes, state.unit) + ')');
        o.value = g.id;
        groups[key].appendChild(o);
      });
      sel.value = 'rtx-4090';
    }

    function renderGpuList() {
      var ul = $('gpu-list');
      ul.textContent = '';
      state.gpuIds.forEach(function (id) {
        var g = gpuById[id];
        var li = el('li', null, 'chip');
        li.appendChild(el('span', g ? shortGpuName(g.name) + ' · ' + formatBytes(g.usableBytes, state.unit) + ' usable' : id));
        var b = el('button', '×');
        b.type = 'button';
        b.setAttribute('aria-label', 'Remove ' + (g ? g.name : id));
        b.disabled = state.gpuIds.length === 1;
        b.addEventListener('click', function () {
          state.gpuIds = state.gpuIds.filter(function (x) { return x !== id; });
          renderGpuList();
          changed();
        });
        li.appendChild(b);
        ul.appendChild(li);
      });
    }

    function setRadio(name, value) {
      var radios = scope.querySelectorAll('input[name="' + name + '"]');
      for (var i = 0; i < radios.length; i++) radios[i].checked = radios[i].value === value;
    }

    /** Writes the state into the controls. */
    function toControls() {
      $('params').value = state.mode === 'params' ? String(state.params) : '';
      $('task').value = state.task;
      $('engine').value = state.engine;
      fillWeights();
      $('kv').value = state.kvCache;
      $('attention').value = state.attention;
      $('ubatch').value = state.ubatch === '' ? '' : String(state.ubatch);
      $('gmu').value = state.gpuMemoryUtilization === '' ? '' : String(state.gpuMemoryUtilization);
      $('seqlen').value = String(state.seqLen);
      $('batch').value = String(state.batch);
      $('method').value = state.method;
      $('optimizer').value = state.optimizer;
      $('lora-rank').value = String(state.loraRank);
      $('lora-targets').value = state.loraTargets;
      $('checkpointing').checked = !!state.checkpointing;
      $('zero').value = String(state.zeroStage);
      $('gpu-count').value = String(state.gpus);
      $('tp').value = String(state.tensorParallel);
      setRadio('unit', state.unit);
      if (presets.length) fillModels();
      if (gpus.length) { fillGpus(); renderGpuList(); }
      showEngineSettings();
    }

    function showEngineSettings() {
      var blocks = scope.querySelectorAll('[data-engine]');
      for (var i = 0; i < blocks.length; i++) blocks[i].hidden = blocks[i].getAttribute('data-engine') !== state.engine;
    }

    /** Reads a whole number; an empty or bad field keeps its text and reports itself. */
    function readInt(id, label, lo, hi, problems) {
      var text = $(id).value.trim();
      var n = Number(text);
      if (text === '' || !/^[0-9]+$/.test(text) || n < lo || n > hi) {
        problems.push({ id: id, text: label + ': enter a whole number from ' + lo + ' to ' + hi });
        return null;
      }
      return n;
    }

    /** Reads the controls into the state; returns the problems found (each {id, text}). */
    function fromControls() {
      var problems = [];
      state.task = $('task').value;
      state.engine = $('engine').value;
      var w = $('weights').value;
      state.weights = w === formatsFor(state.engine)[0] ? '' : w;
      state.kvCache = $('kv').value;
      state.attention = $('attention').value;
      var seq = readInt('seqlen', 'Context', 1, 16777216, problems);
      if (seq !== null) state.seqLen = seq;
      var batch = readInt('batch', 'Batch', 1, 1048576, problems);
      if (batch !== null) state.batch = batch;
      state.method = $('method').value;
      state.optimizer = $('optimizer').value;
      var rank = readInt('lora-rank', 'LoRA rank', 1, 65536, problems);
      if (rank !== null) state.loraRank = rank;
      state.loraTargets = $('lora-targets').value;
      state.checkpointing = $('checkpointing').checked;
      state.zeroStage = Number($('zero').value);
      var count = readInt('gpu-count', 'Cards used', 1, 1024, problems);
      if (count !== null) state.gpus = count;
      var tp = readInt('tp', 'Tensor parallel', 1, 1024, problems);
      if (tp !== null) state.tensorParallel = tp;
      state.ubatch = $('ubatch').value.trim() === '' ? '' : (readInt('ubatch', 'ubatch', 1, 1048576, problems) || '');
      var gmuText = $('gmu').value.trim();
      if (gmuText === '') state.gpuMemoryUtilization = '';
      else if (Number(gmuText) > 0 && Number(gmuText) <= 1) state.gpuMemoryUtilization = Number(gmuText);
      else problems.push({ id: 'gmu', text: 'GPU memory utilization: enter a fraction in (0, 1], e.g. 0.9' });
      var unit = scope.querySelector('input[name="unit"]:checked');
      state.unit = unit ? unit.value : 'gb';
      if (state.mode === 'params') {
        var text = $('params').value.trim();
        var billions = Number(text);
        if (text === '' || !/^[0-9]*\.?[0-9]+(e[0-9]+)?$/i.test(text) || !isFinite(billions) || billions <= 0 || billions > 100000)
          problems.push({ id: 'params', text: 'Parameters: enter a positive number of billions, e.g. 7' });
        else state.params = billions;
      }
      return problems;
    }

    // --- rendering -----------------------------------------------------------
    function showError(problems) {
      var box = $('error');
      var ids = ['params', 'config', 'seqlen', 'batch', 'lora-rank', 'gpu-count', 'tp', 'ubatch', 'gmu'];
      ids.forEach(function (id) { $(id).setAttribute('aria-invalid', 'false'); });
      box.textContent = '';
      box.hidden = !problems.length;
      problems.forEach(function (p) {
        box.appendChild(el('span', p.text, 'error-line'));
        if (p.id && $(p.id)) $(p.id).setAttribute('aria-invalid', 'true');
      });
    }

    /** Report errors as problems, naming the page's own control where one matches. */
    function reportProblems(report) {
      var byField = { 'model.params': ['params', 'Parameters'], seqLen: ['seqlen', 'Context'], batch: ['batch', 'Batch'],
        loraRank: ['lora-rank', 'LoRA rank'], gpus: ['gpu-count', 'Cards used'], tensorParallel: ['tp', 'Tensor parallel'],
        ubatch: ['ubatch', 'ubatch'], gpuMemoryUtilization: ['gmu', 'GPU memory utilization'] };
      return (report.errors || []).slice(0, 8).map(function (e) {
        var field = String(e.field);
        var known = byField[field] || (field.indexOf('model.config') === 0 ? ['config', 'config.json ' + field.replace(/^model\.config(Json)?\.?/, '') ] : null);
        var label = known ? known[1].trim() : field;
        return { id: known ? known[0] : null, text: (label || 'config.json') + ': ' + String(e.message) };
      });
    }

    function formulaCell(tr, comp, unit) {
      var td = el('td');
      td.appendChild(el('span', formatBytes(comp ? comp.bytes : 0, unit), 'num'));
      if (comp && comp.formula) {
        td.title = comp.formula;
        if (root.classList.contains('show-formulas')) td.appendChild(el('span', comp.formula, 'formula'));
      }
      tr.appendChild(td);
    }

    /** Columns: the table's own ids, then any extra id with bytes in some row. */
    function columnsFor(base, reports) {
      var cols = base.slice();
      reports.forEach(function (r) {
        r.components.forEach(function (c) {
          if (REQUIRED.indexOf(c.id) < 0 && cols.indexOf(c.id) < 0 && c.bytes > 0) cols.push(c.id);
          if (REQUIRED.indexOf(c.id) >= 0 && cols.indexOf(c.id) < 0 && c.bytes > 0) cols.push(c.id);
        });
      });
      return cols;
    }

    function renderTable(table, rows, columns, firstHeads) {
      var head = table.tHead.rows[0];
      head.textContent = '';
      firstHeads.concat(columns.map(componentName)).concat(['Total', 'Fits']).forEach(function (h) {
        var th = el('th', h);
        th.scope = 'col';
        head.appendChild(th);
      });
      var body = table.tBodies[0];
      body.textContent = '';
      rows.forEach(function (row) {
        var tr = el('tr');
        tr.dataset.row = row.key;
        var th = el('th', row.label);
        th.scope = 'row';
        tr.appendChild(th);
        if (row.format !== undefined) tr.appendChild(el('td', row.format, 'format'));
        if (!row.report || !row.report.ok) {
          columns.concat(['total', 'fits']).forEach(function () { tr.appendChild(el('td', '…')); });
        } else {
          columns.forEach(function (id) { formulaCell(tr, componentOf(row.report, id), state.unit); });
          var total = el('td', formatBytes(row.report.totalBytes, state.unit), 'total');
          tr.appendChild(total);
          var fits = el('td', null, 'fits');
          row.verdicts.forEach(function (v) {
            fits.appendChild(el('span', v.text, v.fits ? 'ok' : 'no'));
          });
          tr.appendChild(fits);
          tr.className = row.focus ? 'focus' : '';
        }
        body.appendChild(tr);
      });
    }

    var PALETTE = 8;
    /** Horizontal stacked bars, one per row, with the chosen cards as vertical lines. */
    function renderBars(container, title, rows, columns) {
      container.textContent = '';
      var ok = rows.filter(function (r) { return r.report && r.report.ok; });
      if (!ok.length) return;
      var cards = chosenCards();
      var max = 0;
      ok.forEach(function (r) { max = Math.max(max, r.report.totalBytes); });
      cards.forEach(function (g) { max = Math.max(max, g.usableBytes); });
      var W = 640, left = 110, right = 16, rowH = 26, top = 8, H = top + ok.length * rowH + 30;
      var scale = function (b) { return left + (W - left - right) * (max > 0 ? b / max : 0); };
      var uid = container.id + '-svg';
      var s = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-labelledby': uid + '-t', 'aria-describedby': uid + '-d', class: 'bars' });
      s.appendChild(svg('title', { id: uid + '-t' }, title));
      var desc = ok.map(function (r) {
        return r.label + ': ' + formatBytes(r.report.totalBytes, state.unit) + ' (' + columns.map(function (id) {
          var c = componentOf(r.report, id);
          return componentName(id) + ' ' + formatBytes(c ? c.bytes : 0, state.unit);
        }).join(', ') + ')';
      }).join('; ');
      s.appendChild(svg('desc', { id: uid + '-d' }, desc + (cards.length ? '. Lines: ' + cards.map(function (g) { return shortGpuName(g.name) + ' ' + formatBytes(g.usableBytes, state.unit); }).join(', ') : '')));
      ok.forEach(function (r, i) {
        var y = top + i * rowH;
        s.appendChild(svg('text', { x: left - 6, y: y + rowH / 2 + 4, 'text-anchor': 'end', class: 'lbl' }, r.label));
        var x = left;
        columns.forEach(function (id, ci) {
          var c = componentOf(r.report, id);
          if (!c || !(c.bytes > 0)) return;
          var w = scale(c.bytes) - left;
          var rect = svg('rect', { x: x, y: y + 4, width: Math.max(w, 0.5), height: rowH - 8, class: 'c' + (ci % PALETTE) });
          rect.appendChild(svg('title', {}, componentName(id) + ': ' + formatBytes(c.bytes, state.unit)));
          s.appendChild(rect);
          x += w;
        });
      });
      cards.forEach(function (g, gi) {
        var x = scale(g.usableBytes);
        var y1 = top + ok.length * rowH;
        s.appendChild(svg('line', { x1: x, x2: x, y1: top, y2: y1, class: 'cap g' + (gi % 4) }));
        s.appendChild(svg('text', { x: Math.min(x, W - 4), y: y1 + 14 + 12 * (gi % 2), 'text-anchor': 'end', class: 'lbl small' }, shortGpuName(g.name)));
      });
      container.appendChild(s);
      var legend = el('ul', null, 'legend');
      columns.forEach(function (id, ci) {
        var li = el('li');
        li.appendChild(el('span', null, 'swatch c' + (ci % PALETTE)));
        li.appendChild(document.createTextNode(componentName(id)));
        legend.appendChild(li);
      });
      container.appendChild(legend);
    }

    /** Memory against seqLen or batch (a sweep), with the chosen cards as horizontal lines. */
    function renderLine(container, axis, title, xLabel, to, current) {
      container.textContent = '';
      if (!est) return;
      var res = est.sweep(focusRequest(), { axis: axis, from: 1, to: to, points: 200 });
      if (!res.ok) return;
      var cards = chosenCards();
      var W = 640, H = 260, left = 64, right = 16, top = 12, bottom = 40;
      var ymax = 0;
      res.totalBytes.forEach(function (b) { if (b !== null) ymax = Math.max(ymax, b); });
      cards.forEach(function (g) { ymax = Math.max(ymax, g.usableBytes); });
      ymax = ymax * 1.05 || 1;
      var sx = function (x) { return left + (W - left - right) * ((x - 1) / Math.max(to - 1, 1)); };
      var sy = function (b) { return top + (H - top - bottom) * (1 - b / ymax); };
      var uid = container.id + '-svg';
      var s = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-labelledby': uid + '-t', 'aria-describedby': uid + '-d', class: 'line' });
      s.appendChild(svg('title', { id: uid + '-t' }, title));
      var lastOk = null;
      for (var i = res.x.length - 1; i >= 0; i--) if (res.totalBytes[i] !== null) { lastOk = i; break; }
      s.appendChild(svg('desc', { id: uid + '-d' },
        'Per-GPU memory from ' + formatBytes(res.totalBytes[0], state.unit) + ' at ' + xLabel + ' 1 to ' +
        (lastOk === null ? '–' : formatBytes(res.totalBytes[lastOk], state.unit) + ' at ' + res.x[lastOk]) +
        (cards.length ? '. Lines: ' + cards.map(function (g) { return shortGpuName(g.name) + ' ' + formatBytes(g.usableBytes, state.unit); }).join(', ') : '')));
      // axes and ticks
      s.appendChild(svg('line', { x1: left, x2: W - right, y1: H - bottom, y2: H - bottom, class: 'axis' }));
      s.appendChild(svg('line', { x1: left, x2: left, y1: top, y2: H - bottom, class: 'axis' }));
      for (var t = 0; t <= 4; t++) {
        var yb = ymax * t / 4;
        s.appendChild(svg('text', { x: left - 6, y: sy(yb) + 4, 'text-anchor': 'end', class: 'lbl small' }, formatBytes(yb, state.unit)));
        var xv = Math.round(1 + (to - 1) * t / 4);
        s.appendChild(svg('text', { x: sx(xv), y: H - bottom + 16, 'text-anchor': t === 0 ? 'start' : t === 4 ? 'end' : 'middle', class: 'lbl small' }, xv.toLocaleString('en-US')));
      }
      s.appendChild(svg('text', { x: (left + W - right) / 2, y: H - 6, 'text-anchor': 'middle', class: 'lbl' }, xLabel));
      cards.forEach(function (g, gi) {
        var y = sy(g.usableBytes);
        s.appendChild(svg('line', { x1: left, x2: W - right, y1: y, y2: y, class: 'cap g' + (gi % 4) }));
        s.appendChild(svg('text', { x: W - right - 4, y: y - 4, 'text-anchor': 'end', class: 'lbl small' }, shortGpuName(g.name)));
      });
      var d = '';
      res.x.forEach(function (x, i) {
        var b = res.totalBytes[i];
        if (b === null) return;
        d += (d ? 'L' : 'M') + sx(x).toFixed(1) + ' ' + sy(b).toFixed(1);
      });
      s.appendChild(svg('path', { d: d, class: 'curve' }));
      if (current >= 1 && current <= to) s.appendChild(svg('line', { x1: sx(current), x2: sx(current), y1: top, y2: H - bottom, class: 'now' }));
      container.appendChild(el('p', title + ' (' + (state.task === 'finetune' ? methodLabel(state.method) + ' fine-tuning' : (state.weights || formatsFor(state.engine)[0]) + ' inference') + ', per GPU)', 'chart-title'));
      container.appendChild(s);
    }

    function answer(dl, question, text) {
      dl.appendChild(el('dt', question));
      dl.appendChild(el('dd', text));
    }

    function renderAnswers() {
      var dl = $('answers-list');
      dl.textContent = '';
      var req = focusRequest();
      var what = state.task === 'finetune' ? methodLabel(state.method) + ' fine-tuning' : (state.weights || formatsFor(state.engine)[0]) + ' on ' + state.engine;
      // vLLM sizes its KV pool by the card: what it reports for the first card.
      var focus = state.task === 'inference' && state.engine === 'vllm' ? est.estimate(req) : null;
      var v = focus && focus.ok && focus.vllm;
      if (v && typeof v.kvCapacityTokens === 'number') {
        answer(dl, 'vLLM KV cache capacity (' + formatBytes(v.kvPoolBytes, state.unit) + ' pool)', v.kvCapacityTokens.toLocaleString('en-US') + ' tokens');
        if (typeof v.maxConcurrentSeqs === 'number')
          answer(dl, 'Concurrent sequences of ' + state.seqLen.toLocaleString('en-US') + ' tokens', v.maxConcurrentSeqs.toLocaleString('en-US'));
      }
      chosenCards().slice(0, 3).forEach(function (g) {
        var name = shortGpuName(g.name);
        var budget = g.usableBytes;
        var seq = est.maxSeqLen(req, budget);
        answer(dl, 'Longest context on one ' + name + ' (' + what + ', batch ' + state.batch + ')',
          !seq.ok ? '–' : seq.value === 0 ? 'none: even 1 token does not fit' : seq.value.toLocaleString('en-US') + ' tokens' + (seq.capped ? (state.mode !== 'params' && presetById[state.model] && seq.value === presetById[state.model].maxContext ? " (the model's maximum)" : ' or more') : ''));
        var batch = est.maxBatch(req, budget);
        answer(dl, 'Largest batch on one ' + name + ' (' + state.seqLen.toLocaleString('en-US') + ' tokens)',
          !batch.ok ? '–' : batch.value === 0 ? 'none: even batch 1 does not fit' : String(batch.value) + (batch.capped ? ' or more' : ''));
        if (state.task === 'inference') {
          var best = est.bestFormat(req, budget, formatsFor(state.engine));
          answer(dl, 'Most precise ' + state.engine + ' format that fits one ' + name, !best.ok ? '–' : best.value || 'none of ' + formatsFor(state.engine).join(', '));
        }
        var need = est.gpusNeeded(req, budget);
        answer(dl, 'Cards needed (' + name + ')', !need.ok ? '–' : need.value ? need.value + ' × ' + name + (need.basis === 'even-split' ? ' (memory split evenly)' : '') : 'more than 1024');
      });
    }

    function renderModelInfo(report) {
      var out = $('model-info');
      var name = state.mode === 'params' ? 'Parameter count (simple estimator)' : state.mode === 'config' ? 'Your config.json' : (presetById[state.model] ? presetById[state.model].name : state.model);
      if (!report || !report.ok) { out.textContent = name; return; }
      var p = report.params;
      out.textContent = name + ': ' + formatCount(p.total) + ' parameters' + (p.active && p.active !== p.total ? ', ' + formatCount(p.active) + ' active' : '');
      out.dataset.total = String(p.total);
      out.dataset.active = String(p.active);
    }

    /** Recomputes everything from the state. */
    function update() {
      if (!est) return;
      var problems = fromControls();
      if (state.mode === 'config' && configText.length > MAX_CONFIG_CHARS)
        problems.push({ id: 'config', text: 'config.json: the text is ' + configText.length.toLocaleString('en-US') + ' characters; a config.json is a few KB (at most 1 MiB here)' });
      if (problems.length) { showError(problems); return; }
      var t = P.tables();
      if (t.failed) {
        showError(reportProblems(t.failed));
        renderModelInfo(null);
        return;
      }
      var infRows = t.infRows, ftRows = t.ftRows;
      var rowProblems = [];
      infRows.concat(ftRows).forEach(function (r) {
        if (!r.report.ok && !rowProblems.length) rowProblems = reportProblems(r.report).map(function (p) { p.text = r.label + ' ' + (r.format || '') + ': ' + p.text; return p; });
      });
      showError(rowProblems);
      renderRows(infRows, ftRows);
      if (options.hash) writeHash();
      if (options.onChange) options.onChange(snapshot(infRows, ftRows));
    }

    /** Renders computed rows: the tables at once, the charts and answers in the next frame. */
    function renderRows(infRows, ftRows) {
      renderModelInfo(infRows[0].report);
      var infCols = columnsFor(INFERENCE_COLUMNS, infRows.filter(function (r) { return r.report.ok; }).map(function (r) { return r.report; }));
      var ftCols = columnsFor(FINETUNE_COLUMNS, ftRows.filter(function (r) { return r.report.ok; }).map(function (r) { return r.report; }));
      $('inference-table').caption.textContent = 'Inference with ' + state.engine + ' (per GPU, ' + state.seqLen.toLocaleString('en-US') + ' tokens, batch ' + state.batch + ')';
      $('finetune-table').caption.textContent = 'Fine-tuning with ' + $('optimizer').selectedOptions[0].textContent + ' (per GPU)';
      renderTable($('inference-table'), infRows, infCols, ['Precision', 'Format']);
      renderTable($('finetune-table'), ftRows, ftCols, ['Method']);
      renderSummary(infRows, ftRows);
      renderWarnings(infRows.concat(ftRows));
      renderSettings(infRows.concat(ftRows));
      $('unit-note').textContent = state.unit === 'gib' ? 'GiB = 2^30 bytes (1,073,741,824). Sizes are per GPU.' : 'GB = 10^9 bytes (1,000,000,000). Sizes are per GPU.';
      if (!root.dataset.shown && typeof performance !== 'undefined' && performance.mark) performance.mark('llmmem-first-tables');
      root.dataset.shown = 'true';
      // ready: the estimator itself answers (not only the build-time answer).
      if (est) {
        root.dataset.ready = 'true';
        if (root.ownerDocument.body && !options.scope) root.ownerDocument.body.dataset.ready = 'true';
      }
      // The heavier parts follow in the next frame (one per frame however fast
      // the input changes), so typing stays responsive.
      if (pending) cancelAnimationFrame(pending);
      pending = requestAnimationFrame(function () {
        pending = 0;
        renderBars($('inference-bars'), 'Inference memory by component', infRows, infCols);
        renderBars($('finetune-bars'), 'Fine-tuning memory by component', ftRows, ftCols);
        var maxCtx = state.mode === 'preset' && presetById[state.model] && presetById[state.model].maxContext > 1 ? presetById[state.model].maxContext : 131072;
        renderLine($('chart-seqlen'), 'seqLen', 'Memory against context length', 'context (tokens)', Math.max(maxCtx, state.seqLen), state.seqLen);
        renderLine($('chart-batch'), 'batch', 'Memory against batch size', 'batch', Math.max(256, state.batch), state.batch);
        if (!est) return;
        renderAnswers();
        root.dataset.charts = 'true';
      });
    }

    function snapshot(infRows, ftRows) {
      var pick = function (r) { return { row: r.key, label: r.label, totalBytes: r.report.ok ? r.report.totalBytes : null, fits: r.verdicts ? r.verdicts.map(function (v) { return v.text; }) : [] }; };
      return { state: JSON.parse(JSON.stringify(state)), hash: LlmmemState.encode(state), inference: infRows.map(pick), finetune: ftRows.map(pick) };
    }

    function renderSummary(infRows, ftRows) {
      var focus = infRows.concat(ftRows).filter(function (r) { return r.focus && r.report.ok; })[0];
      var out = $('summary');
      if (!focus) { out.textContent = ''; return; }
      out.textContent = (state.task === 'finetune' ? focus.label + ' fine-tuning' : focus.label + ' ' + focus.format + ' inference') + ': ' +
        formatBytes(focus.report.totalBytes, state.unit) + ' per GPU; ' + focus.verdicts.map(function (v) { return v.text; }).join('; ') + '.';
    }

    /** The settings the estimator resolved (engine defaults it assumed), for the focus row. */
    function renderSettings(rows) {
      var out = $('settings');
      out.textContent = '';
      var focus = rows.filter(function (r) { return r.focus && r.report.ok; })[0];
      var settings = focus && focus.report.settings;
      if (!settings || typeof settings !== 'object') return;
      var parts = Object.keys(settings).slice(0, 24).map(function (k) { return k + ' = ' + String(settings[k]); });
      if (parts.length) out.textContent = 'Settings assumed for ' + focus.label + ': ' + parts.join('; ') + '.';
    }

    function renderWarnings(rows) {
      var ul = $('warnings');
      ul.textContent = '';
      var seen = {};
      rows.forEach(function (r) {
        (r.report.ok ? r.report.warnings || [] : []).forEach(function (w) {
          if (seen[w] || Object.keys(seen).length >= 12) return;
          seen[w] = true;
          ul.appendChild(el('li', w));
        });
      });
    }

    /** The tables update at once (a few estimates); charts and answers once per frame. */
    function changed() {
      if (est) update();
    }

    function writeHash() {
      var h = LlmmemState.encode(state);
      if (h === lastHash) return;
      lastHash = h;
      try { history.replaceState(null, '', h); } catch (e) { /* sandboxed frames may refuse */ }
    }

    function showNotice(problems) {
      var n = $('notice');
      n.hidden = !problems.length;
      n.textContent = problems.length ? 'The link was not fully understood: ' + problems.join('; ') + '.' : '';
    }

    function applyHash(hash) {
      var res = LlmmemState.decode(hash);
      state = res.state;
      if (est && state.mode === 'preset' && !presetById[state.model]) {
        res.problems.push('unknown model ' + state.model.slice(0, 40) + '; using ' + LlmmemState.defaults().model);
        state.model = LlmmemState.defaults().model;
      }
      if (est) {
        var known = state.gpuIds.filter(function (id) { return gpuById[id]; });
        if (known.length !== state.gpuIds.length) res.problems.push('unknown cards left out');
        state.gpuIds = known.length ? known : LlmmemState.defaults().gpuIds;
      }
      showNotice(res.problems);
      toControls();
    }

    // --- events --------------------------------------------------------------
    var form = $('inputs');
    form.addEventListener('submit', function (e) { e.preventDefault(); });
    root.addEventListener('input', function (e) {
      var id = e.target && e.target.id;
      if (id === 'model-search') { fillModels(); return; }
      if (id === 'params') state.mode = 'params';
      if (id === 'config') { configText = e.target.value; state.mode = configText.trim() ? 'config' : 'preset'; }
      if (id === 'config-file' || id === 'gpu-add' || id === 'theme' || id === 'show-formulas' || id === 'link-text') return;
      if (id === 'model') { state.mode = 'preset'; state.model = e.target.value; $('params').value = ''; }
      if (id === 'engine') { state.engine = e.target.value; state.weights = ''; fillWeights(); showEngineSettings(); }
      changed();
    });
    $('model-search').addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown' || e.key === 'Enter') {
        e.preventDefault();
        var sel = $('model');
        if (sel.options.length) {
          sel.focus();
          if (sel.selectedIndex < 0) { sel.selectedIndex = 0; state.mode = 'preset'; state.model = sel.value; $('params').value = ''; changed(); }
        }
      }
    });
    $('config-file').addEventListener('change', function (e) {
      var f = e.target.files && e.target.files[0];
      if (f) readFile(f);
    });
    var cfg = $('config');
    cfg.addEventListener('dragover', function (e) { e.preventDefault(); cfg.classList.add('drop'); });
    cfg.addEventListener('dragleave', function () { cfg.classList.remove('drop'); });
    cfg.addEventListener('drop', function (e) {
      e.preventDefault();
      cfg.classList.remove('drop');
      var f = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
      if (f) readFile(f);
    });
    function readFile(f) {
      if (f.size > MAX_CONFIG_CHARS) {
        showError([{ id: 'config', text: 'config.json: the file is ' + f.size.toLocaleString('en-US') + ' bytes; a config.json is a few KB (at most 1 MiB here)' }]);
        return;
      }
      var reader = new FileReader();
      reader.onload = function () {
        configText = String(reader.result);
        cfg.value = configText;
        state.mode = 'config';
        changed();
      };
      reader.readAsText(f);
    }
    $('gpu-add-button').addEventListener('click', function () {
      var id = $('gpu-add').value;
      if (gpuById[id] && state.gpuIds.indexOf(id) < 0 && state.gpuIds.length < 8) state.gpuIds.push(id);
      renderGpuList();
      changed();
    });
    $('show-formulas').addEventListener('change', function (e) {
      root.classList.toggle('show-formulas', e.target.checked);
      changed();
    });
    $('theme').addEventListener('change', function (e) { setTheme(e.target.value); });
    function setTheme(t) {
      root.setAttribute('data-theme', t === 'light' || t === 'dark' ? t : 'auto');
      $('theme').value = root.getAttribute('data-theme');
    }
    if (options.hash) {
      window.addEventListener('hashchange', function () {
        if (location.hash === lastHash) return;
        lastHash = location.hash;
        applyHash(location.hash);
        changed();
      });
      $('copy-link').addEventListener('click', function () {
        var url = location.href;
        var box = $('link-text');
        box.value = url;
        box.hidden = false;
        box.select();
        var status = $('copy-status');
        var done = function () { status.textContent = 'Link copied.'; };
        var manual = function () { status.textContent = 'Copy the link from the box.'; };
        try {
          if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(url).then(done, manual);
          else manual();
        } catch (e) { manual(); }
      });
    } else {
      $('copy-link').hidden = true;
    }

    // --- start ---------------------------------------------------------------
    if (options.hash) applyHash(location.hash);
    else { showNotice(options.problems || []); toControls(); }
    if (options.theme) setTheme(options.theme);

    // The build's answer for the default state shows at once; the estimator
    // replaces it when it is ready (web/build.mjs, prerender()).
    var pre = options.snapshot;
    if (pre && !est && state.mode === 'preset' && LlmmemState.encode(state) === pre.hash) {
      presets = pre.presets;
      presets.forEach(function (p) { presetById[p.id] = p; });
      gpus = pre.gpus;
      gpus.forEach(function (g) { gpuById[g.id] = g; });
      formats = pre.formats;
      toControls();
      renderRows(pre.infRows, pre.ftRows);
    }

    // In dist/index.html the app runs first (to show the build's answer) and
    // the estimator's script follows it: start once that has run.
    if (typeof createEstimator === 'undefined') document.addEventListener('DOMContentLoaded', start);
    else start();

    function start() {
    if (typeof createEstimator === 'undefined') {
      showError([{ text: 'The estimator could not start: its script is missing' }]);
      return;
    }
    estimatorPromise().then(function (e) {
      if (typeof performance !== 'undefined' && performance.mark) performance.mark('llmmem-estimator-ready');
      est = e;
      presets = est.presets();
      presets.forEach(function (p) { presetById[p.id] = p; });
      gpus = est.gpus();
      gpus.forEach(function (g) { gpuById[g.id] = g; });
      try { formats = est.formats() || FALLBACK_FORMATS; } catch (err) { formats = FALLBACK_FORMATS; }
      if (options.hash) applyHash(location.hash);
      else {
        if (!presetById[state.model]) state.model = LlmmemState.defaults().model;
        state.gpuIds = state.gpuIds.filter(function (id) { return gpuById[id]; });
        if (!state.gpuIds.length) state.gpuIds = LlmmemState.defaults().gpuIds;
        toControls();
      }
      update();
    }, function (err) {
      showError([{ text: 'The estimator could not start: ' + (err && err.message ? err.message : String(err)) }]);
    });
    }

    return {
      /** The current state (a copy). */
      getState: function () { return JSON.parse(JSON.stringify(state)); },
      /** Replaces the state (as decoded from a hash) and recomputes. */
      setHash: function (hash) { applyHash(hash); changed(); },
      setTheme: setTheme,
    };
  }

  /**
   * The default state's answer, computed at build time and inlined into
   * dist/index.html, so the tables show before the WASM has started.
   */
  function prerender(est) {
    var state = LlmmemState.defaults();
    var gpuById = {};
    var gpus = est.gpus().map(function (g) {
      return { id: g.id, name: g.name, vendor: g.vendor, segment: g.segment, memoryBytes: g.memoryBytes, usableBytes: g.usableBytes };
    });
    gpus.forEach(function (g) { gpuById[g.id] = g; });
    var formats = est.formats();
    var t = planner({ state: state, gpuById: gpuById, configText: '', est: est, formats: formats }).tables();
    var strip = function (rows) {
      return rows.map(function (r) { return { label: r.label, format: r.format, key: r.key, focus: r.focus, report: r.report, verdicts: r.verdicts }; });
    };
    return {
      hash: LlmmemState.encode(state),
      presets: est.presets().map(function (p) {
        return { id: p.id, name: p.name, family: p.family, modelType: p.modelType, params: p.params, activeParams: p.activeParams, maxContext: p.maxContext };
      }),
      gpus: gpus,
      formats: formats,
      infRows: strip(t.infRows),
      ftRows: strip(t.ftRows),
    };
  }

  return { mount: mount, prerender: prerender, formatBytes: formatBytes };
})();
