/**
 * Synthetic timelines for the learn/ tests: a seeded PRNG (mulberry32), samplers, and a
 * poller that sees a chain the way chainwatch does (the head at each poll, with latency).
 * Deterministic: the same seed gives the same timeline.
 */
import type { HeadPoint } from '../../../src/engine/learn/rhythm';

export const T0 = Date.UTC(2024, 0, 1, 0, 0, 0);

export type Rng = () => number;

/** mulberry32: a tiny 32-bit seeded generator, uniform in [0, 1). */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const uniform = (r: Rng, lo: number, hi: number) => lo + (hi - lo) * r();

export function normal(r: Rng, mean = 0, sd = 1): number {
  const u = Math.max(r(), 1e-12);
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

export function poisson(r: Rng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 500) return Math.max(0, Math.round(normal(r, mean, Math.sqrt(mean))));
  // Inversion by sequential search.
  let k = 0;
  let p = Math.exp(-mean);
  let cdf = p;
  const u = r();
  while (u > cdf && k < 10_000) {
    k += 1;
    p *= mean / k;
    cdf += p;
  }
  return k;
}

/** Marsaglia-Tsang gamma(shape, scale). */
export function gamma(r: Rng, shape: number, scale: number): number {
  if (shape < 1) return gamma(r, shape + 1, scale) * r() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(r);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = r();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
  }
}

/** Negative binomial with this mean and size: var = mean + mean² / size. */
export function negBin(r: Rng, mean: number, size: number): number {
  return poisson(r, gamma(r, size, mean / size));
}

export interface ChainSpec {
  /** Interval before block i+1 (ms), drawn when needed. */
  nextIntervalMs: (r: Rng, i: number, producedAt: number) => number;
  pollMs: number;
  /** RPC latency (ms) of each poll. */
  latencyMs?: (r: Rng) => number;
  /** Poll start jitter (ms, uniform ±). */
  pollJitterMs?: number;
}

/**
 * Polls a simulated chain from `from` for `durationMs`; yields one HeadPoint per poll (the
 * head the endpoint served, with the block's 1 s timestamp and the arrival time).
 */
export function* pollChain(spec: ChainSpec, r: Rng, durationMs: number, from = T0, startNumber = 1000): Generator<HeadPoint> {
  const latency = spec.latencyMs ?? ((x: Rng) => uniform(x, 40, 120));
  const jitter = spec.pollJitterMs ?? 20;
  // Blocks: produced[i] is the production time of block startNumber + i.
  let number = startNumber;
  let producedAt = from - spec.nextIntervalMs(r, 0, from) * r();
  let nextAt = producedAt + spec.nextIntervalMs(r, 1, producedAt);
  let i = 1;
  for (let poll = from; poll < from + durationMs; poll += spec.pollMs) {
    const start = poll + uniform(r, -jitter, jitter);
    const lat = latency(r);
    const served = start + lat / 2;
    while (nextAt <= served) {
      number += 1;
      producedAt = nextAt;
      i += 1;
      nextAt = producedAt + spec.nextIntervalMs(r, i, producedAt);
    }
    yield { number, timestamp: Math.floor(producedAt / 1000), at: Math.round(start + lat) };
  }
}

/** Deep-freezes a value so that any mutation by the code under test throws. */
export function deepFreeze<T>(x: T): T {
  if (x && typeof x === 'object' && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}
