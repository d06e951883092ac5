/**
 * The learned model: logistic regression over the features of features.ts. Its weights are a
 * data file (data/classifier/model.json, written by scripts/classifier/train.ts) that
 * classify.ts imports statically, so the bundle carries it and nothing is read at run time.
 *
 * File format (version 1): named features as a plain object of weights; hashed n-gram
 * weights pruned to the useful ones and quantised to 16-bit integers times `scale`, stored as
 * two base64 strings — bucket indices as LEB128 varints of their gaps, weights as
 * little-endian int16. Decoded once into one Int16Array of 2^HASH_BITS entries (2 MB).
 */
import { FEATURE_VERSION, HASH_BITS, type Features } from './features';

export interface ModelFile {
  format: 1;
  featureVersion: number;
  hashBits: number;
  /** Logit offset, the decision threshold already folded in. */
  bias: number;
  /** Weight of `Features.lexLogit`. */
  lexWeight: number;
  named: Record<string, number>;
  hashed: { count: number; scale: number; idx: string; w: string };
  /** How it was trained (informational). */
  meta?: Record<string, unknown>;
}

export interface Model {
  readonly bias: number;
  readonly lexWeight: number;
  readonly named: ReadonlyMap<string, number>;
  readonly weights: Int16Array;
  readonly scale: number;
  /** Number of non-zero hashed weights. */
  readonly size: number;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function base64Encode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = i + 1 < bytes.length ? bytes[i + 1]! : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2]! : 0;
    out += B64[a >> 2]! + B64[((a & 3) << 4) | (b >> 4)]!;
    out += i + 1 < bytes.length ? B64[((b & 15) << 2) | (c >> 6)]! : '=';
    out += i + 2 < bytes.length ? B64[c & 63]! : '=';
  }
  return out;
}

export function base64Decode(s: string): Uint8Array {
  const clean = s.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < clean.length; i++) {
    const v = B64.indexOf(clean[i]!);
    if (v < 0) throw new Error('model: bad base64');
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}

/** Turns a model file into the structure `modelLogit` reads; throws on anything malformed. */
export function decodeModel(file: ModelFile): Model {
  if (!file || file.format !== 1) throw new Error('model: unknown format');
  if (file.featureVersion !== FEATURE_VERSION)
    throw new Error(`model: trained on feature version ${file.featureVersion}, code has ${FEATURE_VERSION}`);
  if (file.hashBits !== HASH_BITS) throw new Error(`model: hashBits ${file.hashBits}, code has ${HASH_BITS}`);
  const weights = new Int16Array(1 << HASH_BITS);
  const idx = base64Decode(file.hashed.idx);
  const w = base64Decode(file.hashed.w);
  if (w.length !== file.hashed.count * 2) throw new Error('model: weight count mismatch');
  let pos = 0;
  let at = -1;
  for (let k = 0; k < file.hashed.count; k++) {
    let gap = 0;
    let shift = 0;
    for (;;) {
      const byte = idx[pos++];
      if (byte === undefined) throw new Error('model: truncated index');
      gap += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if (byte < 0x80) break;
    }
    at += gap;
    if (at >= weights.length) throw new Error('model: index out of range');
    weights[at] = ((w[2 * k]! | (w[2 * k + 1]! << 8)) << 16) >> 16;
  }
  const named = new Map<string, number>();
  for (const [k, v] of Object.entries(file.named)) if (typeof v === 'number' && Number.isFinite(v)) named.set(k, v);
  if (!Number.isFinite(file.bias) || !Number.isFinite(file.lexWeight) || !(file.hashed.scale > 0)) throw new Error('model: bad numbers');
  return { bias: file.bias, lexWeight: file.lexWeight, named, weights, scale: file.hashed.scale, size: file.hashed.count };
}

/** Encodes hashed weights (bucket → float) for a model file. */
export function encodeHashed(entries: readonly [number, number][], scale: number): ModelFile['hashed'] {
  const sorted = [...entries].sort((a, b) => a[0] - b[0]);
  const idx: number[] = [];
  const w = new Uint8Array(sorted.length * 2);
  let prev = -1;
  sorted.forEach(([i, v], k) => {
    let gap = i - prev;
    prev = i;
    while (gap >= 0x80) {
      idx.push((gap & 0x7f) | 0x80);
      gap = Math.floor(gap / 128);
    }
    idx.push(gap);
    const q = Math.max(-32767, Math.min(32767, Math.round(v / scale)));
    w[2 * k] = q & 0xff;
    w[2 * k + 1] = (q >> 8) & 0xff;
  });
  return { count: sorted.length, scale, idx: base64Encode(Uint8Array.from(idx)), w: base64Encode(w) };
}

/** Per-group scaling: a group's n-grams sum to the same weight whatever the post's length. */
export function groupNorm(n: number): number {
  return n === 0 ? 0 : 1 / Math.sqrt(n);
}

/** The model's logit for a post's features. */
export function modelLogit(model: Model, f: Features): number {
  const w = model.weights;
  let chars = 0;
  for (let i = 0; i < f.chars.length; i++) chars += w[f.chars[i]!]!;
  let words = 0;
  for (let i = 0; i < f.words.length; i++) words += w[f.words[i]!]!;
  let z = model.bias + model.lexWeight * f.lexLogit;
  z += model.scale * (chars * groupNorm(f.chars.length) + words * groupNorm(f.words.length));
  for (const name of f.named) z += model.named.get(name) ?? 0;
  return z;
}
