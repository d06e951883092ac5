import type { Redis } from 'ioredis';

/**
 * One JSON value per network, read for many networks in one round trip. The keys sit in
 * different cluster slots (one hash tag per network), so this is a pipeline of GETs, not an
 * MGET. A missing or damaged value is left out: the next write replaces it.
 */
export async function readJsonMany<T>(redis: Redis, names: readonly string[], keyOf: (name: string) => string): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  if (names.length === 0) return out;
  const pipe = redis.pipeline();
  for (const n of names) pipe.get(keyOf(n));
  const results = (await pipe.exec()) ?? [];
  results.forEach(([err, raw], i) => {
    if (err || typeof raw !== 'string') return;
    try {
      out.set(names[i]!, JSON.parse(raw) as T);
    } catch {
      // As good as none.
    }
  });
  return out;
}
