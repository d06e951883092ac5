/**
 * One tick of a network's inclusion probe (its Job Scheduler: src/queue/schedulers.ts). Under
 * the network's probe lock, so two ticks never send at once whatever the workers: read the
 * ledger from Redis, ask the chain (src/chain/probe.ts), let the engine plan (src/engine/probe.ts),
 * act, write the ledger before anything is broadcast (a crash after it resends the very same
 * signed transaction), then commit the result into the network's step (`inclusion_delay`).
 *
 * The key is only ever inside the viem account: never in job data, Redis, a log line or an error.
 */
import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { z } from 'zod';
import { broadcastProbe, createProbeChain, readProbeFacts, signProbe, watchForReceipt, type ProbeChain } from '../src/chain/probe';
import type { Network } from '../src/config/network';
import type { ProbeReport } from '../src/engine';
import {
  emptyLedger,
  includedAt,
  planProbe,
  probeDue,
  probeTickMs,
  utcDay,
  withIncluded,
  withSent,
  withSigned,
  type ProbeLedger,
} from '../src/engine/probe';
import type { Keyspace, ProbeFacts, ProbeReceipt } from '../src/model';
import { commitStep, type CommitDeps } from '../src/queue/commit';
import type { ProbeJobData } from '../src/queue/schedulers';
import { readProbeLedger, writeProbeLedger } from '../src/store/probe-ledger';
import type { RedisClient } from '../src/store/redis-client';
import type { Logger } from '../src/util/log';

const JobData = z.object({ network: z.string().min(1) });

/** The adapter's verbs; tests replace one to stop a tick half-way (a crash before the broadcast). */
export interface ProbeAdapter {
  create: typeof createProbeChain;
  read: typeof readProbeFacts;
  sign: typeof signProbe;
  broadcast: typeof broadcastProbe;
  watch: typeof watchForReceipt;
}
const ADAPTER: ProbeAdapter = {
  create: createProbeChain,
  read: readProbeFacts,
  sign: signProbe,
  broadcast: broadcastProbe,
  watch: watchForReceipt,
};

export interface ProbeJobDeps extends Omit<CommitDeps, 'clock'> {
  networks: ReadonlyMap<string, Network>;
  redis: RedisClient;
  keys: Keyspace;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  adapter?: Partial<ProbeAdapter>;
}

export interface ProbeJobResult {
  network: string;
  /** What the tick did: the plan's action, or `busy` when another tick held the lock. */
  action: string;
  report: ProbeReport['kind'] | null;
  inclusionMs?: number;
}

/** Longer than any tick can run (reads, a broadcast and the receipt watch, each bounded); renewed before each broadcast. */
const LOCK_MS = 120_000;
/** The receipt is watched a few times a block, for at most half a tick and 10 s (a worker slot is held meanwhile). */
const pollMs = (blockTimeMs: number) => Math.min(Math.max(blockTimeMs / 4, 100), 1000);
const watchMs = (network: Network) => Math.min(probeTickMs(network.probe!) / 2, 10_000);

const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0";
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

export function createProbeProcessor(deps: ProbeJobDeps) {
  const clock = deps.clock ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const adapter = { ...ADAPTER, ...deps.adapter };
  // One set of clients per network of the config (bounded by it).
  const chains = new Map<string, ProbeChain>();
  return async function probe(job: Job<ProbeJobData>): Promise<ProbeJobResult | null> {
    const { network: name } = JobData.parse(job.data);
    const network = deps.networks.get(name);
    if (!network?.probe) {
      deps.log.warn(
        { network: name },
        'probe tick for a network without a probe in this config; ignored (restart the scheduler to drop it)',
      );
      return null;
    }
    const lock = deps.keys.probeLock(name);
    const token = randomUUID();
    if ((await deps.redis.set(lock, token, 'PX', LOCK_MS, 'NX')) !== 'OK') return { network: name, action: 'busy', report: null };
    try {
      let pc = chains.get(name);
      if (!pc) chains.set(name, (pc = adapter.create(network, { timeoutMs: network.thresholds.requestTimeoutMs })));
      const held = async () => (await deps.redis.eval(RENEW, 1, lock, token, String(LOCK_MS))) === 1;
      const t = new Tick({ ...deps, clock, sleep, adapter, held }, network, pc);
      const { action, report, inclusionMs } = await t.run();
      if (report) await commitStep({ ...deps, clock }, network, job.id ?? `probe-${name}-${clock()}`, { type: 'probe', report });
      return { network: name, action, report: report?.kind ?? null, ...(inclusionMs !== undefined ? { inclusionMs } : {}) };
    } finally {
      await deps.redis.eval(RELEASE, 1, lock, token).catch(() => undefined);
    }
  };
}

interface TickDeps extends ProbeJobDeps {
  clock: () => number;
  sleep: (ms: number) => Promise<void>;
  adapter: ProbeAdapter;
  /** Renews the lock; false when another tick took it over (this one then stops before sending). */
  held: () => Promise<boolean>;
}

interface TickResult {
  action: string;
  report: ProbeReport | null;
  inclusionMs?: number;
}

/** One tick's work on one network: the ledger in, actions on the chain, the report out. */
class Tick {
  private readonly settings: NonNullable<Network['probe']>;
  private ledger!: ProbeLedger;
  constructor(
    private readonly d: TickDeps,
    private readonly network: Network,
    private readonly pc: ProbeChain,
  ) {
    this.settings = network.probe!;
  }

  async run(): Promise<TickResult> {
    const now = this.d.clock();
    this.ledger = await readLedger(this.d.redis, this.d.keys, this.network, this.pc.address, now, this.d.log);
    // Nothing in flight and none due: no chain read at all.
    if (!probeDue(this.ledger, this.settings, now)) return { action: 'not_due', report: null };
    let facts: ProbeFacts;
    try {
      facts = await this.d.adapter.read(this.pc, { hashes: (this.ledger.inFlight?.txs ?? []).map((t) => t.hash as `0x${string}`) });
    } catch (err) {
      const e = err as { endpoint?: string; problem?: { kind: string; message: string; detail?: string } };
      await this.note(
        `read:${e.problem?.kind ?? 'error'}`,
        'warn',
        { endpoint: e.endpoint, reason: e.problem?.message, detail: e.problem?.detail },
        'probe could not read the chain',
      );
      return { action: 'read_failed', report: this.ledger.inFlight ? this.pendingReport(null, false) : { kind: 'idle', paused: null } };
    }
    const plan = planProbe(this.ledger, facts, this.settings, now);
    switch (plan.action) {
      case 'include':
        return this.include(plan.receipt, this.d.clock(), false);
      case 'forget':
        this.d.log.warn(
          { network: this.network.name, nonce: this.ledger.inFlight?.nonce },
          'probe nonce used by another transaction of this key; probe forgotten (give the probe a key of its own)',
        );
        await this.save({ ...this.ledger, inFlight: null });
        return { action: 'forget', report: { kind: 'idle', paused: null } };
      case 'skip':
        return this.skip(plan.why, now);
      case 'keep':
        if (plan.rebroadcast) await this.broadcast(facts.head);
        if (plan.held)
          await this.note(
            `held:${plan.held}:${utcDay(now)}`,
            'warn',
            { held: plan.held },
            'late probe not replaced: ' + (plan.held === 'budget' ? 'the daily gas budget allows no higher fee' : 'replaced enough times'),
          );
        return this.watchThenReport(facts, plan.pricedOut, plan.held, 'keep');
      case 'replace':
      case 'send': {
        const nonce = plan.action === 'send' ? plan.nonce : this.ledger.inFlight!.nonce;
        const tx = await this.d.adapter
          .sign(this.pc, { nonce, fees: plan.fees })
          .catch(async (err: { endpoint?: string; problem?: { kind: string; message: string } }) => {
            await this.note(
              `sign:${err.problem?.kind ?? 'error'}`,
              'warn',
              { endpoint: err.endpoint, reason: err.problem?.message },
              'probe could not be signed',
            );
            return null;
          });
        if (!tx)
          return {
            action: 'sign_failed',
            report: this.ledger.inFlight ? this.pendingReport(facts, false) : { kind: 'idle', paused: null },
          };
        // Recorded before it is broadcast: a crash from here on resends this very transaction.
        await this.save(withSigned(this.ledger, nonce, tx, this.d.clock()));
        this.d.log.info(
          { network: this.network.name, nonce, hash: tx.hash, maxFeeGwei: gwei(tx.maxFeeWei), tipGwei: gwei(tx.tipWei) },
          plan.action === 'send' ? 'probe sent' : 'late probe replaced with a higher fee',
        );
        await this.broadcast(facts.head);
        return this.watchThenReport(facts, false, null, plan.action);
      }
    }
  }

  private async skip(why: 'not_due' | 'budget' | 'foreign_pending', now: number): Promise<TickResult> {
    if (why === 'budget')
      await this.note(
        `budget:${utcDay(now)}`,
        'warn',
        { spentWei: this.ledger.spentWei, maxDailyGasWei: this.settings.maxDailyGasWei },
        'probe stopped for today (UTC): the daily gas budget is spent',
      );
    if (why === 'foreign_pending')
      await this.note(
        'foreign',
        'warn',
        {},
        'probe waits: this key has pending transactions the probe did not send (give the probe a key of its own)',
      );
    return { action: why, report: { kind: 'idle', paused: why === 'not_due' ? null : why } };
  }

  /** Sends the newest signed version through every endpoint; the first acceptance marks it sent. */
  private async broadcast(head: number): Promise<void> {
    const tx = this.ledger.inFlight?.txs.at(-1);
    if (!tx) return;
    if (!(await this.d.held())) throw new Error('probe lock lost before the broadcast; another tick carries on');
    const result = await this.d.adapter.broadcast(this.pc, tx.raw as `0x${string}`);
    if (result.sent) {
      if (this.ledger.inFlight!.sentAt === null) await this.save(withSent(this.ledger, head, this.d.clock()));
      return;
    }
    // Underpriced is expected while the base fee is above the probe's cap: the report says so.
    const first = result.outcomes.find((o) => o.outcome !== 'underpriced') ?? result.outcomes[0];
    if (first)
      await this.note(
        `send:${first.outcome}`,
        first.outcome === 'underpriced' ? 'info' : 'warn',
        { endpoint: first.endpoint, outcome: first.outcome, reason: first.problem?.message, detail: first.problem?.detail },
        'probe broadcast refused',
      );
  }

  private async watchThenReport(
    facts: ProbeFacts,
    pricedOut: boolean,
    held: 'budget' | 'replacements' | null,
    action: string,
  ): Promise<TickResult> {
    const f = this.ledger.inFlight;
    if (f && f.sentAt !== null && !pricedOut) {
      const seen = await this.d.adapter.watch(
        this.pc,
        { hashes: f.txs.map((t) => t.hash as `0x${string}`), timeoutMs: watchMs(this.network), pollMs: pollMs(this.network.blockTimeMs) },
        this.d.clock,
        this.d.sleep,
      );
      if (seen) return this.include(seen.receipt, seen.seenAt, true);
    }
    return { action, report: this.pendingReport(facts, pricedOut, held) };
  }

  private async include(receipt: ProbeReceipt, seenAt: number, watching: boolean): Promise<TickResult> {
    const f = this.ledger.inFlight!;
    const sentAt = f.sentAt ?? seenAt;
    const at = includedAt(sentAt, seenAt, receipt.blockTimestamp, watching);
    await this.save({ ...withIncluded(this.ledger, receipt, this.d.clock()), logged: null });
    this.d.log.info(
      {
        network: this.network.name,
        nonce: f.nonce,
        hash: receipt.hash,
        block: receipt.block,
        inclusionMs: at - sentAt,
        costWei: receipt.costWei,
      },
      'probe included',
    );
    return {
      action: 'include',
      inclusionMs: at - sentAt,
      report: { kind: 'included', nonce: f.nonce, hash: receipt.hash, sentAt, includedAt: at, block: receipt.block },
    };
  }

  private pendingReport(facts: ProbeFacts | null, pricedOut: boolean, held: 'budget' | 'replacements' | null = null): ProbeReport {
    const f = this.ledger.inFlight!;
    const tx = f.txs.at(-1)!;
    if (f.sentAt === null) return { kind: 'idle', paused: null };
    return {
      kind: 'pending',
      nonce: f.nonce,
      hash: tx.hash,
      sentAt: f.sentAt,
      sentHead: f.sentHead,
      pricedOut,
      baseFeeGwei: facts?.baseFeeWei ? gwei(facts.baseFeeWei) : null,
      maxFeeGwei: gwei(tx.maxFeeWei),
      held,
    };
  }

  private async save(next: ProbeLedger): Promise<void> {
    this.ledger = next;
    await writeProbeLedger(this.d.redis, this.d.keys, this.network.name, next);
  }

  /** A problem is logged when it starts (or changes), not on every tick: the ledger remembers the last one. */
  private async note(problem: string, level: 'info' | 'warn', fields: Record<string, unknown>, message: string): Promise<void> {
    if (this.ledger.logged === problem) return;
    this.d.log[level]({ network: this.network.name, ...fields }, message);
    await this.save({ ...this.ledger, logged: problem });
  }
}

function gwei(wei: string): number {
  return Number(BigInt(wei)) / 1e9;
}

/**
 * The network's ledger, or a fresh one. A ledger of another address (the key changed) starts
 * over but keeps the day's spend. One that cannot be read counts the day as spent (the bound on
 * spend holds even then) and is rewritten, so it is said once.
 */
async function readLedger(
  redis: RedisClient,
  keys: Keyspace,
  network: Network,
  address: string,
  now: number,
  log: Logger,
): Promise<ProbeLedger> {
  const stored = await readProbeLedger(redis, keys, network.name);
  if (stored.kind === 'none') return emptyLedger(address, now);
  if (stored.kind === 'unreadable') {
    log.warn({ network: network.name }, 'probe ledger in Redis unreadable: started over, and today (UTC) counted as spent');
    const fresh = { ...emptyLedger(address, now), spentWei: network.probe!.maxDailyGasWei };
    await writeProbeLedger(redis, keys, network.name, fresh);
    return fresh;
  }
  const { ledger } = stored;
  if (ledger.address.toLowerCase() === address.toLowerCase()) return ledger;
  log.info({ network: network.name, address }, 'probe key changed: the probe starts over with the new address');
  return { ...emptyLedger(address, now), day: ledger.day, spentWei: ledger.spentWei };
}
