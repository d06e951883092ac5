/**
 * The inclusion probe's ledger in Redis: one hash per network (`keys.probe`), every value a
 * string, so a worker that starts (or restarts) continues the probe in flight with the very
 * same signed transaction. What to make of a missing or unreadable ledger is jobs/probe.ts's.
 */
import { z } from 'zod';
import { PROBE_MAX_REPLACEMENTS, type Keyspace, type ProbeLedger } from '../model';
import { execReplicated, type RedisClient } from './redis-client';

/** Kept a week after the last write: a probe paused that long starts from the chain's nonce again. */
const LEDGER_TTL_MS = 7 * 86_400_000;
const digits = z.string().regex(/^\d{1,30}$/);
const int = digits.transform(Number);
const Tx = z.object({
  hash: z.string().regex(/^0x[0-9a-f]{64}$/i),
  raw: z.string().regex(/^0x[0-9a-f]{2,4096}$/i),
  maxFeeWei: digits,
  tipWei: digits,
  gas: digits,
});
const Txs = z
  .array(Tx)
  .min(1)
  .max(PROBE_MAX_REPLACEMENTS + 1);
const Fields = z.object({
  address: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  spentWei: digits,
  lastSentAt: int.optional(),
  logged: z.string().max(200).optional(),
  nonce: int.optional(),
  txs: z.string().max(32_768).optional(),
  sentAt: int.optional(),
  sentHead: int.optional(),
  replacedAt: int.optional(),
});

export type StoredProbeLedger = { kind: 'none' } | { kind: 'unreadable' } | { kind: 'found'; ledger: ProbeLedger };

export async function readProbeLedger(redis: RedisClient, keys: Keyspace, network: string): Promise<StoredProbeLedger> {
  const raw = await redis.hgetall(keys.probe(network));
  if (Object.keys(raw).length === 0) return { kind: 'none' };
  const f = Fields.safeParse(raw);
  if (!f.success) return { kind: 'unreadable' };
  const d = f.data;
  // A nonce and its signed versions come together or not at all.
  if ((d.nonce === undefined) !== (d.txs === undefined)) return { kind: 'unreadable' };
  let inFlight: ProbeLedger['inFlight'] = null;
  if (d.nonce !== undefined) {
    const txs = Txs.safeParse(safeJson(d.txs!));
    if (!txs.success) return { kind: 'unreadable' };
    inFlight = { nonce: d.nonce, txs: txs.data, sentAt: d.sentAt ?? null, sentHead: d.sentHead ?? null, replacedAt: d.replacedAt ?? null };
  }
  return {
    kind: 'found',
    ledger: { address: d.address, inFlight, lastSentAt: d.lastSentAt ?? null, day: d.day, spentWei: d.spentWei, logged: d.logged ?? null },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Replaces the whole hash at once (and waits for replicas where configured): a failover keeps what was about to be broadcast. */
export async function writeProbeLedger(redis: RedisClient, keys: Keyspace, network: string, l: ProbeLedger): Promise<void> {
  const f = l.inFlight;
  const fields: Record<string, string> = { address: l.address, day: l.day, spentWei: l.spentWei };
  if (l.lastSentAt !== null) fields.lastSentAt = String(l.lastSentAt);
  if (l.logged !== null) fields.logged = l.logged;
  if (f) {
    fields.nonce = String(f.nonce);
    fields.txs = JSON.stringify(f.txs);
    if (f.sentAt !== null) fields.sentAt = String(f.sentAt);
    if (f.sentHead !== null) fields.sentHead = String(f.sentHead);
    if (f.replacedAt !== null) fields.replacedAt = String(f.replacedAt);
  }
  const key = keys.probe(network);
  await execReplicated(redis, 'probe ledger', (p) => p.del(key).hset(key, fields).pexpire(key, LEDGER_TTL_MS), { atomic: true });
}
