// Prepended to the module (--pre-js). The WASM is inlined as a data: URI
// (SINGLE_FILE); emscripten 3.1.6 would fetch() that URI in a browser, which
// counts as a request and trips a Content-Security-Policy of connect-src
// 'none'. Hiding fetch inside the module makes it decode the URI directly.
var fetch = undefined;
