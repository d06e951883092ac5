import { createHash } from 'node:crypto';
import { HISTORY_BOUNDS, type BlockInterval, type HeadPoint, type HeadSample, type Keyspace, type ReportBucket } from '../model';
import {
  decodeMinute,
  encodeRaw,
  encodeSummary,
  minuteIntervals,
  minuteOf,
  MINUTE_MS,
  parseField,
  rawField,
  summarize,
  summaryField,
} from './history-codec';
import type { RedisClient } from './redis-client';

/**
 * Appends the highest head of one poll to its minute (history-codec.ts has the format), only
 * when the head advanced past the last one recorded: the same head seen again (by another
 * endpoint or worker) keeps its first sighting, and a lower head with an older block is a
 * lagging endpoint. A lower head with a later block is a chain that started over (a devnet
 * reset) and is kept. Sightings stay in order when workers' clocks disagree. A `last` it cannot
 * read starts the minute afresh. One key. ARGV: t, n, ts, minuteBytes, ttlMs.
 */
const RECORD_HEAD = `
local function s(x) return string.format('%.0f', x) end
local t, n, ts = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local last = redis.call('HGET', KEYS[1], 'last')
local lt, ln, lts
if last then
  local a, b, c = string.match(last, '^(%-?%d+),(%-?%d+),(%-?%d+)$')
  lt, ln, lts = tonumber(a), tonumber(b), tonumber(c)
end
if lt then
  if n == ln or (n < ln and ts <= lts) then return 0 end
  if t < lt then t = lt end
end
local minute = t - (t % 60000)
if redis.call('HEXISTS', KEYS[1], 's' .. s(minute)) == 1 then return 0 end
local field = 'r' .. s(minute)
local text = redis.call('HGET', KEYS[1], field)
if text and lt then
  if string.len(text) > tonumber(ARGV[4]) then return 0 end
  text = text .. ';' .. s(t - minute) .. ',' .. s(n - ln) .. ',' .. s(ts - lts)
else
  local head = ''
  if lt then head = s(lt) .. ',' .. s(ln) .. ',' .. s(lts) end
  text = head .. '|' .. s(t - minute) .. ',' .. s(n) .. ',' .. s(ts)
end
redis.call('HSET', KEYS[1], field, text, 'last', s(t) .. ',' .. s(n) .. ',' .. s(ts))
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`;

/** Replaces a raw minute by its summary, unless it changed since it was read. ARGV: raw field, summary field, raw text, summary. */
const SUMMARIZE = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[3] then return 0 end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[4])
redis.call('HDEL', KEYS[1], ARGV[1])
return 1`;

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
const SCRIPTS = { record: { lua: RECORD_HEAD, sha: sha1(RECORD_HEAD) }, summarize: { lua: SUMMARIZE, sha: sha1(SUMMARIZE) } };

/** Block numbers and timestamps the Lua above formats exactly (doubles, printed with %.0f). */
const MAX_STORED = 2 ** 53;
/** Networks whose history this process keeps in order (bounded: a bench may invent thousands). */
const MAINTAINED_MAX = 10_000;

export class HistoryStore {
  /** Per network, the minute of the last upkeep: summaries and trimming run once a minute. */
  private readonly maintained = new Map<string, number>();

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
  ) {}

  /** Records the highest head of one poll (see RECORD_HEAD), then the minute's upkeep. */
  async recordHeads(network: string, samples: readonly HeadSample[]): Promise<void> {
    let best: { n: number; ts: number; t: number } | null = null;
    for (const s of samples) {
      if (!s.ok || !Number.isSafeInteger(s.number) || !Number.isSafeInteger(s.timestamp) || !Number.isFinite(s.observedAt)) continue;
      if (s.number < 0 || s.number >= MAX_STORED || Math.abs(s.timestamp) >= MAX_STORED) continue;
      if (!best || s.number > best.n) best = { n: s.number, ts: s.timestamp, t: Math.round(s.observedAt) };
    }
    if (!best) return;
    const ttl = HISTORY_BOUNDS.retentionMs + MINUTE_MS;
    await this.script('record', this.keys.historyMinutes(network), [best.t, best.n, best.ts, HISTORY_BOUNDS.minuteBytes, ttl]);
    await this.upkeep(network, best.t).catch((err: Error) => {
      throw new Error(`head recorded, upkeep failed (retried next poll): ${err.message}`);
    });
  }

  /**
   * Writes points as recordHeads would have, one minute per field, in one command: for seeding
   * a bench or a test. Points oldest first; they replace what the minutes held.
   */
  async importPoints(network: string, points: readonly HeadPoint[]): Promise<void> {
    const byMinute = new Map<number, HeadPoint[]>();
    for (const p of points) {
      const m = minuteOf(p.t);
      const list = byMinute.get(m);
      if (list) list.push(p);
      else byMinute.set(m, [p]);
    }
    const args: string[] = [];
    let prev: HeadPoint | null = null;
    for (const [m, ps] of [...byMinute].sort((a, b) => a[0] - b[0])) {
      args.push(rawField(m), encodeRaw(m, prev, ps));
      prev = ps.at(-1)!;
    }
    if (!prev) return;
    args.push('last', `${prev.t},${prev.n},${prev.ts}`);
    const key = this.keys.historyMinutes(network);
    await this.redis
      .multi()
      .hset(key, ...args)
      .pexpire(key, HISTORY_BOUNDS.retentionMs + MINUTE_MS)
      .exec();
  }

  /**
   * Head points first seen within [fromMs, toMs], oldest first: only the recent minutes, kept
   * as seen (HISTORY_BOUNDS.rawMs); older ones are summaries, read with intervals().
   */
  async heads(network: string, fromMs: number, toMs: number): Promise<HeadPoint[]> {
    const out: HeadPoint[] = [];
    for (const m of await this.readMinutes(network, fromMs, toMs, ['raw']))
      if (m.kind === 'raw') for (const p of m.points) if (p.t >= fromMs && p.t <= toMs) out.push(p);
    // Sorted by first sighting; a lagging endpoint's older head seen later is not progress.
    return out.sort((a, b) => a.t - b.t || a.n - b.n);
  }

  /**
   * Block intervals whose later block was first seen within [fromMs, toMs], oldest first: each
   * one as seen in the recent minutes, up to three per minute (spans among them) before.
   */
  async intervals(network: string, fromMs: number, toMs: number): Promise<BlockInterval[]> {
    const out: BlockInterval[] = [];
    for (const m of await this.readMinutes(network, fromMs, toMs, ['raw', 'summary']))
      for (const iv of minuteIntervals(m)) if (iv.t >= fromMs && iv.t <= toMs) out.push(iv);
    return out.sort((a, b) => a.t - b.t);
  }

  /** The stored minutes overlapping [fromMs, toMs], decoded; a field this version cannot read is skipped. */
  private async readMinutes(network: string, fromMs: number, toMs: number, kinds: ('raw' | 'summary')[]) {
    const key = this.keys.historyMinutes(network);
    let entries: [string, string | null][];
    if (!(toMs - fromMs <= HISTORY_BOUNDS.retentionMs + 2 * MINUTE_MS)) {
      // A wider or open range: the whole hash, which its upkeep bounds (~430 fields).
      entries = Object.entries(await this.redis.hgetall(key));
    } else {
      const fields: string[] = [];
      for (let m = minuteOf(fromMs); m <= toMs; m += MINUTE_MS)
        for (const k of kinds) fields.push(k === 'raw' ? rawField(m) : summaryField(m));
      if (fields.length === 0) return [];
      const texts = await this.redis.hmget(key, ...fields);
      entries = fields.map((f, i) => [f, texts[i] ?? null]);
    }
    const out = [];
    for (const [field, text] of entries) {
      const f = parseField(field);
      if (!f || text === null || !kinds.includes(f.kind) || f.minute + MINUTE_MS <= fromMs || f.minute > toMs) continue;
      const m = decodeMinute(f.kind, f.minute, text);
      if (m) out.push({ minute: f.minute, ...m });
    }
    return out.sort((a, b) => a.minute - b.minute);
  }

  /**
   * Once a minute per network: minutes past HISTORY_BOUNDS.rawMs become summaries, minutes
   * past the retention and fields that are not minutes are dropped, and (once per process) the
   * sorted set that held every point before is deleted. Every process may do it: each step
   * is idempotent. `now` is the sighting just recorded (the store reads no clock).
   */
  private async upkeep(network: string, now: number): Promise<void> {
    const minute = minuteOf(now);
    if (this.maintained.get(network) === minute) return;
    if (this.maintained.size >= MAINTAINED_MAX && !this.maintained.has(network)) this.maintained.clear();
    const firstTime = !this.maintained.has(network);
    this.maintained.set(network, minute);
    try {
      const key = this.keys.historyMinutes(network);
      if (firstTime) await this.redis.unlink(this.keys.historyHeads(network));
      const drop: string[] = [];
      const old: { field: string; minute: number }[] = [];
      for (const field of await this.redis.hkeys(key)) {
        if (field === 'last') continue;
        const f = parseField(field);
        if (!f || f.minute + MINUTE_MS <= now - HISTORY_BOUNDS.retentionMs) drop.push(field);
        else if (f.kind === 'raw' && f.minute + MINUTE_MS <= now - HISTORY_BOUNDS.rawMs) old.push({ field, minute: f.minute });
      }
      if (drop.length > 0) await this.redis.hdel(key, ...drop);
      for (const { field, minute: m } of old) {
        const text = await this.redis.hget(key, field);
        if (text === null) continue;
        const decoded = decodeMinute('raw', m, text);
        if (!decoded) await this.redis.hdel(key, field);
        else await this.script('summarize', key, [field, summaryField(m), text, encodeSummary(m, summarize(decoded))]);
      }
    } catch (err) {
      this.maintained.delete(network);
      throw err;
    }
  }

  /** EVALSHA, and EVAL once when the server does not know the script yet (a restart, a failover). */
  private async script(name: keyof typeof SCRIPTS, key: string, args: (string | number)[]): Promise<unknown> {
    const { lua, sha } = SCRIPTS[name];
    try {
      return await this.redis.evalsha(sha, 1, key, ...args);
    } catch (err) {
      if (!String((err as Error).message).includes('NOSCRIPT')) throw err;
      return this.redis.eval(lua, 1, key, ...args);
    }
  }

  /** Counts outage reports attributed to a network, in the minute of `atMs`. */
  async recordReports(network: string, atMs: number, count: number): Promise<void> {
    if (count <= 0) return;
    const key = this.keys.historyReports(network);
    const minute = minuteOf(atMs);
    const res = await this.redis.multi().hincrby(key, String(minute), count).hlen(key).exec();
    const len = Number(res?.[1]?.[1] ?? 0);
    if (len > HISTORY_BOUNDS.reportMinutes) {
      const fields = await this.redis.hkeys(key);
      const old = fields.filter((f) => Number(f) < minute - HISTORY_BOUNDS.retentionMs);
      const excess = fields
        .map(Number)
        .sort((a, b) => a - b)
        .slice(0, Math.max(0, fields.length - HISTORY_BOUNDS.reportMinutes));
      const drop = [...new Set([...old, ...excess.map(String)])];
      if (drop.length > 0) await this.redis.hdel(key, ...drop);
    }
  }

  /** Report counts per minute within [fromMs, toMs], oldest first (minutes without reports omitted). */
  async reports(network: string, fromMs: number, toMs: number): Promise<ReportBucket[]> {
    const all = await this.redis.hgetall(this.keys.historyReports(network));
    return Object.entries(all)
      .map(([t, c]) => ({ t: Number(t), count: Number(c) }))
      .filter((b) => b.t + MINUTE_MS > fromMs && b.t <= toMs)
      .sort((a, b) => a.t - b.t);
  }
}
