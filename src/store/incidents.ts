import { createHash } from 'node:crypto';
import { BOUNDS } from './bounds';
import { type Incident, type IncidentEvent, isClosed, type Keyspace } from '../model';
import { readJsonMany } from './json';
import { execReplicated, type RedisClient } from './redis-client';

/**
 * Redis is the only state. A network's state (detector memory and correlator memory) lives in
 * one JSON key; each step reads it, computes the next state with pure code, and commits state,
 * incident, timeline, index and event stream in one script that first checks the state is
 * still the one the step read (its SHA-1). If another worker committed first, the script
 * writes nothing and the step runs again on the fresh state: two workers can never open two
 * incidents for one outage.
 *
 * Why a compare-and-set script and not WATCH/MULTI: WATCH belongs to one connection, so
 * concurrent steps needed a pool of dedicated connections, and on a Redis Cluster a pooled
 * connection is a whole Cluster client whose WATCH is lost, silently, when the slot moves to
 * a promoted replica between WATCH and EXEC. The script is one command on whichever node owns
 * the network's slot: atomic on a single server, on Sentinel and on a Cluster alike, on the
 * shared connection. An incident transition is followed by WAIT on the same connection when
 * the client asks for replicas (src/config/redis.ts `wait`), so an event the step returns is
 * on a replica before anyone is told of it.
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

/**
 * KEYS: state, then (ARGV[3] == '1') incident, timeline, event stream, index.
 * ARGV: sha1 of the state as read ('' for none), new state, write-incident flag, incident,
 * id, openedAt, closed flag, closed TTL, events kept, stream length, incidents kept, events….
 */
const COMMIT = `
local cur = redis.call('GET', KEYS[1])
if (cur and redis.sha1hex(cur) or '') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
if ARGV[3] ~= '1' then return 1 end
redis.call('SET', KEYS[2], ARGV[4])
if #ARGV >= 12 then
  for i = 12, #ARGV do
    redis.call('RPUSH', KEYS[3], ARGV[i])
    redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[10], '*', 'event', ARGV[i])
  end
  redis.call('LTRIM', KEYS[3], -tonumber(ARGV[9]), -1)
end
for _, k in ipairs({KEYS[2], KEYS[3]}) do
  if ARGV[7] == '1' then redis.call('EXPIRE', k, ARGV[8]) else redis.call('PERSIST', k) end
end
redis.call('ZADD', KEYS[5], ARGV[6], ARGV[5])
redis.call('ZREMRANGEBYRANK', KEYS[5], 0, -tonumber(ARGV[11]) - 1)
return 1
`;

const sha1 = (text: string | null) => (text === null ? '' : createHash('sha1').update(text, 'utf8').digest('hex'));

/** What this process last wrote to a network's state key, and that text's SHA-1. */
interface Written {
  stored: Stored<unknown>;
  sha: string;
}

export class IncidentStore {
  /**
   * The state each network was last committed with from here, so the next step of that network
   * starts from it without a GET and a JSON.parse: most commits of a network come from one
   * process, and this took the social ingest bench (bench/social.ts) from about 6,450 to
   * 8,300–9,100 posts/s on one machine. The script's SHA-1 check still decides: if anyone else
   * wrote since, it writes nothing and the step runs again on a fresh read. Safe because steps
   * never mutate the state they are given (the engine's rule, which replay relies on too).
   * Bounded by the networks this process commits to.
   */
  private readonly written = new Map<string, Written>();

  constructor(
    readonly redis: RedisClient,
    readonly keys: Keyspace,
  ) {}

  /** Nothing of its own to close any more (kept for callers that close their stores). */
  async close(): Promise<void> {}

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
    const key = this.keys.networkState(network);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      // Taken, not peeked: a concurrent apply of the same network reads Redis instead, and a
      // step that throws or loses the race leaves nothing behind that could be stale.
      const mine = this.written.get(key);
      this.written.delete(key);
      const read = mine ?? (await this.readStored<S>(key, initial));
      const stored = read.stored as Stored<S>;
      if (stored.batches.includes(batchId)) {
        this.written.set(key, read); // nothing was written: what was read is still the state
        return { state: stored.state, events: [], duplicate: true, incident: stored.incident };
      }
      const next = step(stored.state);
      const batches = [...stored.batches, batchId].slice(-BOUNDS.batchIds);
      const nextStored: Stored<S> = { v: 1, state: next.state, incident: next.incident, batches };
      const state = JSON.stringify(nextStored);
      const withIncident = !!next.incident && (next.events.length > 0 || !stored.incident);
      const committed = withIncident
        ? await this.commitTransition(network, key, read.sha, state, next.incident!, next.events)
        : await this.redis.eval(COMMIT, 1, key, read.sha, state, '0');
      if (Number(committed) === 1) {
        this.written.set(key, { stored: nextStored, sha: sha1(state) });
        return { ...next, duplicate: false };
      }
    }
    throw new TransactionConflictError(network, MAX_ATTEMPTS);
  }

  private async readStored<S>(key: string, initial: () => S): Promise<Written> {
    const raw = await this.redis.get(key);
    const stored: Stored<S> = raw ? (JSON.parse(raw) as Stored<S>) : { v: 1, state: initial(), incident: null, batches: [] };
    return { stored, sha: sha1(raw) };
  }

  /**
   * The script with the incident's keys, then WAIT on the same connection (execReplicated):
   * only a transition waits for a replica, a poll that changed nothing public does not.
   */
  private async commitTransition(
    network: string,
    stateKey: string,
    readSha: string,
    state: string,
    incident: Incident,
    events: IncidentEvent[],
  ): Promise<unknown> {
    const { keys } = this;
    const argv = [
      JSON.stringify(incident),
      incident.id,
      String(incident.openedAt),
      isClosed(incident) ? '1' : '0',
      String(BOUNDS.closedTtlSeconds),
      String(BOUNDS.eventsPerIncident),
      String(BOUNDS.eventStreamLength),
      String(BOUNDS.incidentsPerNetwork),
      ...events.map((e) => JSON.stringify(e)),
    ];
    const { results } = await execReplicated(this.redis, `network ${network}: incident transition`, (p) =>
      p.eval(
        COMMIT,
        5,
        stateKey,
        keys.incident(incident.id),
        keys.timeline(incident.id),
        keys.networkEvents(incident.network),
        keys.networkIncidents(incident.network),
        readSha,
        state,
        '1',
        ...argv,
      ),
    );
    return results[0]?.[1];
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
