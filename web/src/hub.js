// The optional Hugging Face lookup: on the user's explicit action only, the
// model's config.json and its weight files' headers are fetched from the Hub
// and read exactly as dropped files are (model-file.js): config.json and
// model.safetensors.index.json whole (a few KB), a model.safetensors or a
// .gguf by HTTP range requests for its header alone. A token, if given, goes in
// the Authorization header and stays in memory (never in the link, never
// stored). The page's CSP opens connect-src to HUB_ORIGIN and, for the real
// Hub, to the hosts its large files redirect to (HUB_FILE_HOSTS); nothing else.
// A saved copy opened from disk says it is offline and stays as it was.
//
// The Hub's URLs: https://huggingface.co/docs/hub/api ("/{repo_id}/resolve/{revision}/{filename}");
// large files answer with a redirect to a CDN or Xet bridge on *.hf.co, which
// honours Range (https://huggingface.co/docs/huggingface_hub/guides/download).

/* global LLMMEM_HUB: the origin web/build.mjs writes before the modules (a test's stand-in) */
export const DEFAULT_HUB_ORIGIN = 'https://huggingface.co';
export const HUB_FILE_HOSTS = ['https://*.hf.co'];
export const HUB_ORIGIN = typeof LLMMEM_HUB === 'string' ? LLMMEM_HUB : DEFAULT_HUB_ORIGIN;

// org/name, or org/name/path/to/file.gguf for one GGUF file of a repo.
const REPO_ID = /^([A-Za-z0-9][\w.-]{0,95})\/([A-Za-z0-9][\w.-]{0,95})(?:\/((?:[\w.-]+\/)*[\w.-]+\.gguf))?$/;
// The first bytes asked of a weight file; the core's needBytes says if more are needed.
const FIRST_RANGE = 1 << 20;
// The most read of a file fetched whole (config.json, the index: a few KB to a few hundred).
const WHOLE_FILE_MAX = 16 << 20;

/** The parts of a typed id, or null: {repo, file} (file only for a .gguf). */
export function parseRepoId(text) {
  const m = REPO_ID.exec(String(text).trim().replace(/^https:\/\/huggingface\.co\//, ''));
  // No '.' or '..' segment: the id names a repository and a file in it, never a path out of it.
  if (!m || [m[1], m[2], ...(m[3] || '').split('/')].some((part) => /^\.+$/.test(part) || part.includes('..'))) return null;
  return { repo: m[1] + '/' + m[2], file: m[3] || '' };
}

/** True where the page can reach the Hub: served over http(s), not a copy opened from disk. */
export function hubReachable(loc) {
  return loc.protocol === 'https:' || loc.protocol === 'http:';
}

function fileUrl(origin, repo, name) {
  return origin + '/' + repo + '/resolve/main/' + name.split('/').map(encodeURIComponent).join('/');
}

function headers(token, extra) {
  const h = Object.assign({}, extra || {});
  if (token) h.Authorization = 'Bearer ' + token;
  return h;
}

/** Why a response failed, in words. */
function failure(name, res) {
  if (res.status === 401 || res.status === 403) return name + ': the Hub answered ' + res.status + ' (a gated or private model needs a token with access)';
  if (res.status === 404) return name + ': not in this repository (404)';
  return name + ': the Hub answered ' + res.status;
}

/** A whole small file as a File, or null when the repository has none; throws on other failures or past WHOLE_FILE_MAX. */
async function wholeFile(fetchFn, origin, repo, name, token) {
  const res = await fetchFn(fileUrl(origin, repo, name), { headers: headers(token) });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(failure(name, res));
  const { bytes, whole } = await firstBytes(res, WHOLE_FILE_MAX + 1);
  if (!whole || bytes.byteLength > WHOLE_FILE_MAX) throw new Error(name + ': larger than ' + WHOLE_FILE_MAX / (1 << 20) + ' MiB, not a config or an index');
  return new File([bytes], name.split('/').pop());
}

/**
 * At most the first `n` bytes of a response, then the rest is cancelled: a
 * server that ignores Range must not make the page download a 40 GB file.
 * `whole` when the body ended within them.
 */
async function firstBytes(res, n) {
  if (!res.body || !res.body.getReader) {
    const all = await res.arrayBuffer();
    return { bytes: all.slice(0, n), whole: all.byteLength <= n };
  }
  const reader = res.body.getReader();
  const parts = [];
  let got = 0, whole = false;
  while (got < n) {
    const { done, value } = await reader.read();
    if (done) { whole = true; break; }
    const take = value.subarray(0, Math.min(value.length, n - got));
    parts.push(take);
    got += take.length;
  }
  if (!whole) reader.cancel().catch(() => {});
  const out = new Uint8Array(got);
  parts.reduce((at, p) => { out.set(p, at); return at + p.length; }, 0);
  return { bytes: out.buffer, whole };
}

/**
 * A weight file on the Hub as the File-like object readModelHeader reads: a
 * name, a size and slice(0, n).arrayBuffer(), each slice one range request. The
 * size comes from the first answer's Content-Range; null when the file is absent.
 */
async function rangedFile(fetchFn, origin, repo, name, token) {
  const url = fileUrl(origin, repo, name);
  const get = async (end) => {
    const res = await fetchFn(url, { headers: headers(token, { Range: 'bytes=0-' + (end - 1) }) });
    if (res.status === 404) return null;
    if (res.status !== 206 && !res.ok) throw new Error(failure(name, res));
    const total = /\/(\d+)\s*$/.exec(res.headers.get('Content-Range') || '');
    const { bytes, whole } = await firstBytes(res, end);
    // A server that ignores Range answers 200 with the whole file: its length is the size.
    const length = Number(res.headers.get('Content-Length'));
    const size = res.status === 206 && total ? Number(total[1]) : whole ? bytes.byteLength : length;
    if (!(size >= bytes.byteLength)) throw new Error(name + ': the server ignored the range request and sent no length');
    return { bytes, size };
  };
  const first = await get(FIRST_RANGE);
  if (!first) return null;
  return {
    name: name.split('/').pop(),
    size: first.size,
    slice: (start, end) => ({
      arrayBuffer: async () => {
        if (end <= first.bytes.byteLength) return first.bytes.slice(start, end);
        const more = await get(end);
        if (!more) throw new Error(name + ': gone from ' + repo + ' while its header was read (404)');
        return more.bytes.slice(start, end);
      },
    }),
  };
}

/**
 * The files of a repository the page reads: config.json, then the weights'
 * index (whole), else a single model.safetensors (its header); or one .gguf.
 * `say` reports progress in words.
 */
export async function hubFiles(fetchFn, origin, id, token, say) {
  const files = [];
  if (id.file) {
    say('Reading the header of ' + id.file + ' from ' + id.repo + '…');
    const gguf = await rangedFile(fetchFn, origin, id.repo, id.file, token);
    if (!gguf) throw new Error(id.file + ': not in ' + id.repo + ' (404)');
    return [gguf];
  }
  say('Fetching config.json of ' + id.repo + '…');
  const config = await wholeFile(fetchFn, origin, id.repo, 'config.json', token);
  if (!config) throw new Error(id.repo + ' has no config.json (for a GGUF repository, add the file: ' + id.repo + '/name.gguf)');
  files.push(config);
  say('Reading the weight files of ' + id.repo + '…');
  const index = await wholeFile(fetchFn, origin, id.repo, 'model.safetensors.index.json', token);
  if (index) files.push(index);
  else {
    const single = await rangedFile(fetchFn, origin, id.repo, 'model.safetensors', token);
    if (single) files.push(single);
  }
  return files;
}
