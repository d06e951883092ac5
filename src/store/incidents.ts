import type { Redis } from 'ioredis';
import { BOUNDS } from './bounds';
import { type Incident, type IncidentEvent, isClosed, type Keyspace } from '../model';
import { readJsonMany } from './json';
import { ConnectionPool } from './connection-pool';

/**
 * Redis is the only state. A network's state (detector memory and correlator memory) lives in
 * one JSON key; each step reads it under WATCH, computes the next state with pure code, and
 * commits state, incident, timeline, index and event stream in one MULTI. If another worker
 * committed first, EXEC fails and the step runs again on the fresh state: two workers can
 * never open two incidents for one outage.
 */

export interface Step<S> {
  state: S;
  events: IncidentEvent[];
}

export interface ApplyResult<S> extends Step<S> {
  /** This batch id was applied before (a retried job): nothing was written. */
  duplicate: boolean;
  incident: Incident | null;
}

interface Stored<S> {
  v: 1;
  state: S;
  /** Incident the state currently points at, written beside the state. */
  incident: Incident | null;
  batches: string[];
}

export class TransactionConflictError extends Error {
  constructor(
    readonly network: string,
    readonly attempts: number,
  ) {
    super(`network ${network}: state kept changing under ${attempts} attempts; giving up this batch`);
    this.name = 'TransactionConflictError';
  }
}

const MAX_ATTEMPTS = 20;

export class IncidentStore {
  private readonly pool: ConnectionPool;

  constructor(
    readonly redis: Redis,
    readonly keys: Keyspace,
    poolSize = 4,
  ) {
    this.pool = new ConnectionPool(redis, poolSize);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  async readState<S>(network: string): Promise<{ state: S; incident: Incident | null } | null> {
    const raw = await this.redis.get(this.keys.networkState(network));
    if (!raw) return null;
    const stored = JSON.parse(raw) as Stored<S>;
    return { state: stored.state, incident: stored.incident };
  }

  /** Many networks in one round trip. */
  async readStates<S>(networks: readonly string[]): Promise<Map<string, { state: S; incident: Incident | null }>> {
    const stored = await readJsonMany<Stored<S>>(this.redis, networks, this.keys.networkState);
    return new Map([...stored].map(([n, s]) => [n, { state: s.state, incident: s.incident }]));
  }

  /**
   * Applies `step` atomically. `batchId` makes it idempotent: a retried job whose batch was
   * already committed writes nothing and gets `duplicate: true`.
   */
  async apply<S>(
    network: string,
    batchId: string,
    initial: () => S,
    step: (state: S) => Step<S> & { incident: Incident | null },
  ): Promise<ApplyResult<S>> {
    return this.pool.use((conn) => this.applyOn(conn, network, batchId, initial, step));
  }

  private async applyOn<S>(
    conn: Redis,
    network: string,
    batchId: string,
    initial: () => S,
    step: (state: S) => Step<S> & { incident: Incident | null },
  ): Promise<ApplyResult<S>> {
    const key = this.keys.networkState(network);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      await conn.watch(key);
      const raw = await conn.get(key);
      const stored: Stored<S> = raw ? (JSON.parse(raw) as Stored<S>) : { v: 1, state: initial(), incident: null, batches: [] };
      if (stored.batches.includes(batchId)) {
        await conn.unwatch();
        return { state: stored.state, events: [], duplicate: true, incident: stored.incident };
      }
      const next = step(stored.state);
      const batches = [...stored.batches, batchId].slice(-BOUNDS.batchIds);
      const tx = conn.multi();
      tx.set(key, JSON.stringify({ v: 1, state: next.state, incident: next.incident, batches } satisfies Stored<S>));
      if (next.incident && (next.events.length > 0 || !stored.incident)) this.writeIncident(tx, next.incident, next.events);
      const ok = await tx.exec();
      if (ok) return { ...next, duplicate: false };
    }
    throw new TransactionConflictError(network, MAX_ATTEMPTS);
  }

  private writeIncident(tx: ReturnType<Redis['multi']>, incident: Incident, events: IncidentEvent[]): void {
    const { keys } = this;
    const incKey = keys.incident(incident.id);
    const tlKey = keys.timeline(incident.id);
    tx.set(incKey, JSON.stringify(incident));
    if (events.length > 0) {
      tx.rpush(tlKey, ...events.map((e) => JSON.stringify(e)));
      tx.ltrim(tlKey, -BOUNDS.eventsPerIncident, -1);
      for (const e of events) {
        tx.xadd(keys.networkEvents(incident.network), 'MAXLEN', '~', BOUNDS.eventStreamLength, '*', 'event', JSON.stringify(e));
      }
    }
    const closed = isClosed(incident);
    for (const k of [incKey, tlKey]) {
      if (closed) tx.expire(k, BOUNDS.closedTtlSeconds);
      else tx.persist(k);
    }
    const index = keys.networkIncidents(incident.network);
    tx.zadd(index, incident.openedAt, incident.id);
    tx.zremrangebyrank(index, 0, -BOUNDS.incidentsPerNetwork - 1);
  }

  async getIncident(id: string): Promise<Incident | null> {
    const raw = await this.redis.get(this.keys.incident(id));
    return raw ? (JSON.parse(raw) as Incident) : null;
  }

  /** Timeline events with seq >= fromSeq (1-based), in order. */
  async getTimeline(id: string, fromSeq = 1): Promise<IncidentEvent[]> {
    const raw = await this.redis.lrange(this.keys.timeline(id), 0, -1);
    return raw.map((r) => JSON.parse(r) as IncidentEvent).filter((e) => e.seq >= fromSeq);
  }

  /** Newest first. */
  async listIncidents(network: string, limit = 20): Promise<Incident[]> {
    if (limit < 1) return [];
    const ids = await this.redis.zrevrange(this.keys.networkIncidents(network), 0, limit - 1);
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(ids.map((id) => this.keys.incident(id)));
    return raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as Incident);
  }
}
