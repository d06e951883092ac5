/**
 * Redis state of the X source: the month's spend (shared by every worker) and the since_id
 * cursor per network.
 *
 * Spend: one hash per calendar month (UTC), `keys.xSpend(<YYYY-MM>)`, fields `micro`
 * (micro-dollars, integer, so concurrent HINCRBYs never drift), `reads`, `posts`,
 * `postsWithUrl`; it expires 40 days after its last write, so at most two months exist.
 * Cursor: `keys.xCursor(<network>)`, the newest post id seen; it only moves forward
 * (atomic compare in Lua, ids compared as decimal numbers) and expires after 7 days without a
 * poll, when X would reject it as since_id anyway.
 */
import type { RedisClient } from '../store/redis-client';
import type { Keyspace } from '../model';
import { monthBounds, postCost, type PostPrices, X_PRICES } from './budget';

export const SPEND_TTL_SEC = 40 * 24 * 3600;
export const CURSOR_TTL_SEC = 7 * 24 * 3600 - 3600;

export interface MonthSpend {
  month: string;
  spentUsd: number;
  reads: number;
  posts: number;
  postsWithUrl: number;
}

const toMicro = (usd: number) => Math.round(usd * 1e6);

export class SpendTracker {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
    private readonly now: () => number = Date.now,
  ) {}

  /** Adds `n` billed post reads at `priceUsd` each; returns the month's spend after it. */
  async recordReads(n: number, priceUsd: number = X_PRICES.readUsd): Promise<number> {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`recordReads: n must be a non-negative integer, got ${n}`);
    if (n === 0) return this.spentThisMonth();
    return this.add({ micro: toMicro(n * priceUsd), reads: n });
  }

  /** Adds one created post (a post with a URL costs more); returns the month's spend after it. */
  async recordPost(withUrl: boolean, prices: PostPrices = X_PRICES): Promise<number> {
    return this.add({ micro: toMicro(postCost(withUrl, prices)), posts: 1, ...(withUrl ? { postsWithUrl: 1 } : {}) });
  }

  async spentThisMonth(): Promise<number> {
    const micro = await this.redis.hget(this.keys.xSpend(monthBounds(this.now()).month), 'micro');
    return micro === null ? 0 : Number(micro) / 1e6;
  }

  async month(at: number = this.now()): Promise<MonthSpend> {
    const { month } = monthBounds(at);
    const h = await this.redis.hgetall(this.keys.xSpend(month));
    const num = (k: string) => Number(h[k] ?? 0);
    return { month, spentUsd: num('micro') / 1e6, reads: num('reads'), posts: num('posts'), postsWithUrl: num('postsWithUrl') };
  }

  private async add(fields: Record<string, number>): Promise<number> {
    const key = this.keys.xSpend(monthBounds(this.now()).month);
    const tx = this.redis.multi();
    for (const [f, v] of Object.entries(fields)) tx.hincrby(key, f, v);
    tx.expire(key, SPEND_TTL_SEC);
    const res = await tx.exec();
    if (!res) throw new Error('SpendTracker: transaction aborted');
    for (const [err] of res) if (err) throw err;
    const micro = res[Object.keys(fields).indexOf('micro')]?.[1];
    return Number(micro) / 1e6;
  }
}

/** Sets KEYS[1] to ARGV[1] when it is absent or a smaller decimal id; refreshes the TTL. */
const ADVANCE_CURSOR = `
local cur = redis.call('GET', KEYS[1])
local new = ARGV[1]
if cur and (#cur > #new or (#cur == #new and cur >= new)) then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
  return 0
end
redis.call('SET', KEYS[1], new, 'EX', ARGV[2])
return 1
`;

export class CursorStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
  ) {}

  async get(network: string): Promise<string | null> {
    return this.redis.get(this.keys.xCursor(network));
  }

  /** Moves the cursor forward to `id`; returns false when it already was at or past it. */
  async set(network: string, id: string): Promise<boolean> {
    if (!/^[1-9]\d{0,19}$/.test(id)) throw new RangeError(`CursorStore.set: not a post id: ${JSON.stringify(id)}`);
    const r = await this.redis.eval(ADVANCE_CURSOR, 1, this.keys.xCursor(network), id, CURSOR_TTL_SEC);
    return r === 1;
  }

  async clear(network: string): Promise<void> {
    await this.redis.unlink(this.keys.xCursor(network));
  }
}
