// Text for the numbers the page shows: bytes in the reader's unit (GB = 10^9 B,
// GiB = 2^30 B, named all the way), parameter counts, card and component names.

/** The two byte units the page offers; the hash stores the key. */
export const UNITS = {
  gb: { bytes: 1e9, name: 'GB', note: 'GB = 10^9 bytes (1,000,000,000). Sizes are per GPU.' },
  gib: { bytes: 1073741824, name: 'GiB', note: 'GiB = 2^30 bytes (1,073,741,824). Sizes are per GPU.' },
};

const COMPONENT_NAMES = {
  weights: 'Weights', kv_cache: 'KV cache', activations: 'Activations', gradients: 'Gradients',
  optimizer: 'Optimizer', overhead: 'Overhead', master_weights: 'Master weights', logits: 'Logits', adapter: 'Adapter',
  allocator_reserve: 'Allocator reserve', dequant_buffer: 'Dequant buffer',
};

/** The number of units alone, at most two decimals (87.4, 0.14, 14): table cells under a head that names the unit. */
export function bytesNumber(bytes, unit) {
  if (typeof bytes !== 'number' || !isFinite(bytes)) return '–';
  return String(Number((bytes / (UNITS[unit] || UNITS.gb).bytes).toFixed(2)));
}

/** Shortest readable number of units, with the unit: 87.4 GB. */
export function formatBytes(bytes, unit) {
  const n = bytesNumber(bytes, unit);
  return n === '–' ? n : n + ' ' + (UNITS[unit] || UNITS.gb).name;
}

/** A parameter count the way model cards write it: 8.03 B, 135 M. */
export function formatCount(n) {
  if (!(n > 0)) return '0';
  if (n >= 1e12) return Number((n / 1e12).toFixed(2)) + ' T';
  if (n >= 1e9) return Number((n / 1e9).toFixed(2)) + ' B';
  if (n >= 1e6) return Number((n / 1e6).toFixed(1)) + ' M';
  return String(n);
}

/**
 * 131072 as 131,072, the same in every locale (tests compare the text). Integers are grouped
 * here: the first toLocaleString() of a page loads ICU's locale data, 20-24 ms of the start-up
 * (Chromium trace of a cold load, 2-core machine); anything else is left to it.
 */
export function grouped(n) {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = digits.slice(0, digits.length % 3 || 3);
  for (let i = out.length; i < digits.length; i += 3) out += ',' + digits.slice(i, i + 3);
  return (n < 0 || Object.is(n, -0) ? '-' : '') + out;
}

/** A card's name without the vendor's marketing prefix: H100 SXM 80GB, RTX 4090. */
export function shortGpuName(name) {
  return String(name).replace(/^NVIDIA (GeForce |Tesla )?/, '').replace(/^AMD (Instinct |Radeon )?/, '').replace(/^Intel /, '');
}

/** A component's place in the page's list (its colour in the charts), or -1 for one it does not list. */
export function componentIndex(id) {
  return Object.keys(COMPONENT_NAMES).indexOf(id);
}

/** A report component's id as a column head: kv_cache as 'KV cache', an unknown one capitalised. */
export function componentName(id) {
  if (COMPONENT_NAMES[id]) return COMPONENT_NAMES[id];
  const s = String(id).replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** 'Name 85.52 GB' for each card, as a chart's text summary names its lines. */
export function cardLines(cards, unit) {
  return cards.length ? '. Lines: ' + cards.map((g) => shortGpuName(g.name) + ' ' + formatBytes(g.usableBytes, unit)).join(', ') : '';
}

// Byte quantities as the core writes them in its texts: '16.06 GB', '14.96 GiB', '512.0 MiB'.
const QUANTITY = /(\d[\d,]*(?:\.\d+)?) (TiB|GiB|MiB|KiB|TB|GB|MB|kB)\b/g;
const PREFIX = { k: 1e3, K: 1024, M: 1e6, G: 1e9, T: 1e12 };

/** Bytes of a quantity's unit: 'GiB' 2^30, 'GB' 10^9. */
function unitBytes(name) {
  const p = name.charAt(0);
  if (name.charAt(1) !== 'i') return PREFIX[p];
  return Math.pow(1024, 'KMGT'.indexOf(p) + 1);
}

/** A core text with every byte quantity rewritten in the reader's unit. */
export function inUnit(text, unit) {
  return String(text).replace(QUANTITY, (all, n, name) => formatBytes(Number(n.replace(/,/g, '')) * unitBytes(name), unit));
}
