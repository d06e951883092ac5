import { pipelinePerGroup } from './fan-out';
import type { RedisClient } from './redis-client';

/**
 * One JSON value per network, read for many networks in one round trip. The keys sit in
 * different cluster slots (one hash tag per network), so this is one GET per key through
 * `pipelinePerGroup`, never an MGET. A missing or damaged value is left out: the next write
 * replaces it.
 */
export async function readJsonMany<T>(
  redis: RedisClient,
  names: readonly string[],
  keyOf: (name: string) => string,
): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  const results = await pipelinePerGroup(
    redis,
    names.map((n) => (p) => p.get(keyOf(n))),
  );
  results.forEach((group, i) => {
    const [err, raw] = group[0] ?? [null, null];
    if (err || typeof raw !== 'string') return;
    try {
      out.set(names[i]!, JSON.parse(raw) as T);
    } catch {
      // As good as none.
    }
  });
  return out;
}
