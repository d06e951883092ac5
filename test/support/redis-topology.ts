/**
 * Real Redis topologies for tests: a Redis Cluster (3 primaries + 3 replicas by default) and a
 * Sentinel-managed primary (primary + replica + 3 sentinels), started from the `redis-server`
 * and `redis-cli` binaries on PATH, on loopback ports, each node in its own temp dir.
 *
 * Every process is its own process group (so a fork for replication or an AOF rewrite dies
 * with it), is tracked in one set, and is killed on `stop()`, on process exit and on
 * SIGINT/SIGTERM. Every wait is bounded and, on timeout, throws with what it saw last.
 * Nothing here talks to the shared Redis on 6379: ports are picked in 17000–21999 (cluster bus
 * ports +10000, i.e. 27000–31999), below Linux's ephemeral range (32768+) that OS-assigned
 * ports and outgoing connections use.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';

export interface HostPort {
  host: string;
  port: number;
}

export const HOST = '127.0.0.1';
const CLUSTER_SLOTS = 16384;
const BUS_OFFSET = 10_000;
const PORT_MIN = 17_000;
const PORT_SPAN = 5_000;
const READY_TIMEOUT_MS = 10_000;
const CREATE_TIMEOUT_MS = 30_000;
const SETTLE_TIMEOUT_MS = 30_000;
const EXIT_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 2_000;
const ADMIN_TIMEOUT_MS = 1_500;
const POLL_MS = 50;
const START_ATTEMPTS = 6;
const OUTPUT_TAIL_CHARS = 4_000;

const INSTALL_HINT = 'install redis-server (apt-get install redis-server)';

export class RedisToolMissingError extends Error {
  constructor(binary: string) {
    super(`${binary} is not on PATH: ${INSTALL_HINT}`);
    this.name = 'RedisToolMissingError';
  }
}

// ---------------------------------------------------------------------------------------------
// Child processes: one registry for the whole test process, emptied on exit and on signals.
// ---------------------------------------------------------------------------------------------

const children = new Set<ChildProcess>();
/** Temp dirs of topologies not stopped yet: removed by stop(), or by the exit hook. */
const tempDirs = new Set<string>();
let hooksInstalled = false;

/** Signals the child's whole process group (it was spawned `detached`, so it leads one). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  }
}

function killEverythingNow(): void {
  for (const child of children) signalGroup(child, 'SIGKILL');
  children.clear();
  for (const dir of tempDirs) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // Best effort while exiting.
    }
  }
  tempDirs.clear();
}

/**
 * 'exit' runs on normal ends, process.exit() and uncaught errors, and may only do synchronous
 * work: SIGKILL to each group is exactly that. A signal ends the process without 'exit', so
 * SIGINT/SIGTERM get a handler too; when some other code also handles the signal (a graceful
 * shutdown), we leave the process to it and the 'exit' hook cleans up afterwards; otherwise we
 * kill the engines and re-raise the signal for its default effect.
 */
function ensureExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killEverythingNow);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const onSignal = (): void => {
      if (process.listeners(signal).some((l) => l !== onSignal)) return;
      killEverythingNow();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

interface Running {
  child: ChildProcess;
  /** Resolves with a description once the process has exited. */
  exited: Promise<string>;
  hasExited(): boolean;
  output(): string;
}

function spawnTracked(binary: string, args: string[], cwd?: string): Running {
  ensureExitHooks();
  const child = spawn(binary, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  // The engines live as long as their owner's handle; they must not keep a finished test alive.
  child.unref();
  let tail = '';
  let done = false;
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
    });
    (stream as unknown as { unref?: () => void } | null)?.unref?.();
  }
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      children.delete(child);
      resolve(signal ? `killed by ${signal}` : `exited with code ${code}`);
    });
    child.once('error', (err) => {
      done = true;
      children.delete(child);
      resolve(`failed to start: ${err.message}`);
    });
  });
  return { child, exited, hasExited: () => done, output: () => tail.trim() };
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Terminates a process group: `signal`, then SIGKILL after a grace period; bounded. */
async function terminate(run: Running, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (run.hasExited()) return;
  signalGroup(run.child, signal);
  // A frozen (SIGSTOPped) process acts on SIGTERM only once it runs again.
  if (signal !== 'SIGKILL') signalGroup(run.child, 'SIGCONT');
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<'grace'>((r) => (timer = setTimeout(() => r('grace'), STOP_GRACE_MS)));
  const outcome = await Promise.race([run.exited, grace]);
  clearTimeout(timer);
  if (outcome === 'grace') {
    signalGroup(run.child, 'SIGKILL');
    await withTimeout(run.exited, EXIT_TIMEOUT_MS, `pid ${run.child.pid} after SIGKILL`);
  }
}

// ---------------------------------------------------------------------------------------------
// Binaries, ports, admin commands, bounded polling
// ---------------------------------------------------------------------------------------------

function requireBinary(binary: string): void {
  const probe = spawnSync(binary, ['--version'], { stdio: 'ignore' });
  if (probe.error) throw new RedisToolMissingError(binary);
}

const reservedPorts = new Set<number>();

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host: HOST, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port in our range that was free a moment ago (and its bus port, for cluster nodes). */
async function pickPort(withBus: boolean): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = PORT_MIN + randomInt(PORT_SPAN);
    if (reservedPorts.has(port)) continue;
    if (!(await portIsFree(port))) continue;
    if (withBus && !(await portIsFree(port + BUS_OFFSET))) continue;
    reservedPorts.add(port);
    return port;
  }
  throw new Error(
    `no free loopback port in ${PORT_MIN}-${PORT_MIN + PORT_SPAN - 1}${withBus ? ' (with a free bus port +10000)' : ''} after 200 tries`,
  );
}

/** One command on a fresh connection that never retries and never queues; bounded. */
async function adminCall(port: number, args: Array<string | number>, timeoutMs = ADMIN_TIMEOUT_MS): Promise<unknown> {
  const client = new Redis({
    host: HOST,
    port,
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    disableClientInfo: true,
    protocol: 2,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const [name, ...rest] = args.map(String);
    return await client.call(name!, ...rest);
  } finally {
    client.disconnect();
  }
}

async function adminText(port: number, args: Array<string | number>): Promise<string> {
  const reply = await adminCall(port, args);
  return Buffer.isBuffer(reply) ? reply.toString('utf8') : String(reply);
}

/** `INFO`-style text (`field:value` lines) to a map. */
function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) fields.set(line.slice(0, at), line.slice(at + 1).trim());
  }
  return fields;
}

/** A RESP2 flat [field, value, field, value…] reply (SENTINEL MASTER/REPLICAS) to a map. */
function pairs(reply: unknown): Map<string, string> {
  const fields = new Map<string, string>();
  if (!Array.isArray(reply)) return fields;
  for (let i = 0; i + 1 < reply.length; i += 2) fields.set(String(reply[i]), String(reply[i + 1]));
  return fields;
}

type Probe<T> = { done: true; value: T } | { done: false; seen: string };

/** Polls `probe` until it reports done; throws after `timeoutMs` with the last thing it saw. */
async function waitUntil<T>(what: string, timeoutMs: number, probe: () => Promise<Probe<T>>): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let seen = '(nothing yet)';
  for (;;) {
    try {
      const result = await probe();
      if (result.done) return result.value;
      seen = result.seen;
    } catch (err) {
      seen = `error: ${(err as Error).message}`;
    }
    if (performance.now() >= deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms; last seen: ${seen}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

// ---------------------------------------------------------------------------------------------
// redis-server processes
// ---------------------------------------------------------------------------------------------

class AddressInUseError extends Error {}

interface ServerProcess {
  port: number;
  dir: string;
  kind: string;
  /** Arguments for this port (the port is fixed once chosen: a restart reuses it). */
  args: string[];
  run: Running | null;
  /** performance.now() of the last kill through the harness. */
  killedAt?: number;
  /** SIGSTOPped through the harness: alive, but it answers nothing, so nobody should ask it. */
  frozen?: boolean;
}

async function waitForPing(port: number, run: Running, label: string): Promise<void> {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (run.hasExited()) {
      const reason = await run.exited;
      const output = run.output();
      if (/address already in use/i.test(output)) throw new AddressInUseError(`${label}: port ${port} is in use`);
      throw new Error(`${label} on port ${port} ${reason} before answering: ${output || '(no output)'}`);
    }
    try {
      // Ours, not whoever else may have won a race for the port (our process then exits shortly).
      const pid = parseInfo(await adminText(port, ['INFO', 'server'])).get('process_id');
      if (pid === String(run.child.pid)) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  await terminate(run, 'SIGKILL');
  throw new Error(`${label} on port ${port} did not answer within ${READY_TIMEOUT_MS} ms: ${run.output() || '(no output)'}`);
}

/** Spawns `redis-server` with `argsFor(port)`; picks another port when the chosen one is taken. */
async function launchServer(kind: string, dir: string, withBus: boolean, argsFor: (port: number) => string[]): Promise<ServerProcess> {
  let lastError: unknown;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    const port = await pickPort(withBus);
    const args = argsFor(port);
    const run = spawnTracked('redis-server', args, dir);
    try {
      await waitForPing(port, run, kind);
      return { port, dir, kind, args, run };
    } catch (err) {
      reservedPorts.delete(port);
      await terminate(run, 'SIGKILL').catch(() => undefined);
      lastError = err;
      if (!(err instanceof AddressInUseError)) throw err;
    }
  }
  throw lastError;
}

/** Launches in parallel; every process that did start is added to `procs` even when another failed. */
async function launchAll(procs: ServerProcess[], launches: Array<Promise<ServerProcess>>): Promise<ServerProcess[]> {
  const settled = await Promise.allSettled(launches);
  const started = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  procs.push(...started);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return started;
}

function processByPort(procs: ServerProcess[], port: number): ServerProcess {
  const proc = procs.find((p) => p.port === port);
  if (!proc) throw new Error(`no process of this topology listens on port ${port} (known: ${procs.map((p) => p.port).join(', ')})`);
  return proc;
}

const EXITING_SIGNALS = new Set<NodeJS.Signals>(['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGQUIT']);

/** Sends `signal` to the process group; for signals that end it, waits (bounded) for the exit. */
async function killServer(proc: ServerProcess, signal: NodeJS.Signals): Promise<void> {
  const run = proc.run;
  if (!run || run.hasExited()) throw new Error(`${proc.kind} on port ${proc.port} is not running`);
  if (proc.frozen && signal !== 'SIGCONT' && signal !== 'SIGKILL')
    throw new Error(`${proc.kind} on port ${proc.port} is frozen: send SIGCONT or SIGKILL`);
  proc.killedAt = performance.now();
  signalGroup(run.child, signal);
  if (signal === 'SIGSTOP' || signal === 'SIGTSTP') proc.frozen = true;
  if (signal === 'SIGCONT') delete proc.frozen;
  if (EXITING_SIGNALS.has(signal)) {
    await withTimeout(run.exited, EXIT_TIMEOUT_MS, `${proc.kind} on port ${proc.port} after ${signal}`);
  }
}

async function restartServer(proc: ServerProcess): Promise<void> {
  if (proc.run && !proc.run.hasExited())
    throw new Error(
      `${proc.kind} on port ${proc.port} is still running${proc.frozen ? ' (frozen: kill it with SIGKILL first, or continue it with SIGCONT)' : ''}`,
    );
  const run = spawnTracked('redis-server', proc.args, proc.dir);
  try {
    await waitForPing(proc.port, run, proc.kind);
  } catch (err) {
    await terminate(run, 'SIGKILL').catch(() => undefined);
    throw err instanceof AddressInUseError
      ? new Error(`cannot restart ${proc.kind}: port ${proc.port} was taken by another process meanwhile`)
      : err;
  }
  proc.run = run;
  delete proc.killedAt;
  delete proc.frozen;
}

/** Running and not frozen: worth asking. */
function isRunning(proc: ServerProcess): boolean {
  return proc.run !== null && !proc.run.hasExited() && !proc.frozen;
}

async function stopAll(procs: ServerProcess[], dirs: string[]): Promise<void> {
  await Promise.allSettled(procs.map((p) => (p.run ? terminate(p.run) : Promise.resolve())));
  for (const p of procs) reservedPorts.delete(p.port);
  for (const dir of dirs) {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    tempDirs.delete(dir);
  }
}

function makeRoot(kind: string): string {
  ensureExitHooks();
  const dir = mkdtempSync(join(tmpdir(), `cw-redis-${kind}-`));
  tempDirs.add(dir);
  return dir;
}

function hostPort(port: number): HostPort {
  return { host: HOST, port };
}

// ---------------------------------------------------------------------------------------------
// Redis Cluster
// ---------------------------------------------------------------------------------------------

export interface ClusterNodeInfo {
  id: string;
  host: string;
  port: number;
  flags: string[];
  /** The primary's id for a replica, null for a primary. */
  masterId: string | null;
  linkState: string;
  slots: Array<[number, number]>;
  myself: boolean;
  /** Flagged `fail` or `fail?` in this view. */
  failing: boolean;
  isPrimary: boolean;
}

/** Parses `CLUSTER NODES`. */
export function parseClusterNodes(text: string): ClusterNodeInfo[] {
  const nodes: ClusterNodeInfo[] = [];
  for (const line of text.split(/\r?\n/)) {
    const parts = line.trim().split(/\s+/);
    if (parts.length < 8) continue;
    const [id, address, flagText, master, , , , linkState, ...slotParts] = parts as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      ...string[],
    ];
    const hostPortPart = address.split('@')[0] ?? '';
    const colon = hostPortPart.lastIndexOf(':');
    const flags = flagText.split(',');
    const slots: Array<[number, number]> = [];
    for (const s of slotParts) {
      if (s.startsWith('[')) continue; // a slot being imported/migrated
      const [from, to] = s.split('-');
      slots.push([Number(from), Number(to ?? from)]);
    }
    nodes.push({
      id,
      host: hostPortPart.slice(0, colon),
      port: Number(hostPortPart.slice(colon + 1)),
      flags,
      masterId: master === '-' ? null : master,
      linkState,
      slots,
      myself: flags.includes('myself'),
      failing: flags.includes('fail') || flags.includes('fail?'),
      isPrimary: flags.includes('master'),
    });
  }
  return nodes;
}

function slotCount(slots: Array<[number, number]>): number {
  return slots.reduce((n, [a, b]) => n + (b - a + 1), 0);
}

function ownsSlot(node: ClusterNodeInfo, slot: number): boolean {
  return node.slots.some(([a, b]) => slot >= a && slot <= b);
}

function ownsAll(node: ClusterNodeInfo, slots: Array<[number, number]>): boolean {
  return slots.every(([a, b]) => node.slots.some(([x, y]) => x <= a && b <= y));
}

function describeView(port: number, nodes: ClusterNodeInfo[]): string {
  return `${port} sees [${nodes
    .map(
      (n) =>
        `${n.port}:${n.flags.filter((f) => f !== 'myself').join(',')}${n.masterId ? `<-${n.masterId.slice(0, 6)}` : `(${slotCount(n.slots)})`}${n.linkState === 'connected' ? '' : `/${n.linkState}`}`,
    )
    .join(' ')}]`;
}

export interface StartRedisClusterOptions {
  /** Default 3 (Redis Cluster needs at least 3). */
  primaries?: number;
  /** Default 1. */
  replicasPerPrimary?: number;
  /** Default false. */
  appendonly?: boolean;
  /** `cluster-node-timeout` in ms; default 1000. Failure detection takes about this long. */
  nodeTimeoutMs?: number;
  /** Extra `redis-server` flags for every node. */
  extraArgs?: string[];
}

export interface ClusterFailover {
  promoted: HostPort;
  /** From the kill to the replica serving the old primary's slots as a primary, cluster ok. */
  ms: number;
}

export interface RedisClusterHandle {
  nodes: HostPort[];
  startupNodes: HostPort[];
  /** ms spent: starting the processes, `redis-cli --cluster create`, and waiting for it to settle. */
  timings: { spawnMs: number; createMs: number; settleMs: number; totalMs: number };
  /** Primaries currently serving slots (as seen by the first node that answers). */
  primaries(): Promise<HostPort[]>;
  /** The primary currently serving the key's slot. */
  primaryForKey(key: string): Promise<HostPort>;
  /** `CLUSTER KEYSLOT` of a key, asked of the engine. */
  keySlot(key: string): Promise<number>;
  /** `CLUSTER NODES` as seen by the first live node that answers (or by `port`). */
  topology(port?: number): Promise<ClusterNodeInfo[]>;
  /** Signals the node's process group; SIGKILL/SIGTERM wait for the exit. */
  kill(port: number, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a killed node again on its port and dir (same nodes.conf), waits until it rejoined. */
  restart(port: number): Promise<void>;
  /** Waits until a replica of the killed primary serves its slots; ms are measured from the kill. */
  waitForFailover(oldPrimaryPort: number, timeoutMs: number): Promise<ClusterFailover>;
  stop(): Promise<void>;
}

interface KillSnapshot {
  id: string;
  slots: Array<[number, number]>;
  replicaIds: string[];
  at: number;
}

export async function startRedisCluster(opts: StartRedisClusterOptions = {}): Promise<RedisClusterHandle> {
  requireBinary('redis-server');
  requireBinary('redis-cli');
  const primaries = opts.primaries ?? 3;
  const replicasPerPrimary = opts.replicasPerPrimary ?? 1;
  if (primaries < 3) throw new RangeError(`a Redis Cluster needs at least 3 primaries, got ${primaries}`);
  const total = primaries * (1 + replicasPerPrimary);
  const nodeTimeout = opts.nodeTimeoutMs ?? 1000;
  const root = makeRoot('cluster');
  const procs: ServerProcess[] = [];
  const snapshots = new Map<number, KillSnapshot>();
  let stopped = false;
  const started = performance.now();

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await stopAll(procs, [root]);
  };

  const argsFor = (dir: string) => (port: number) => [
    '--port',
    String(port),
    '--bind',
    HOST,
    '--dir',
    dir,
    '--daemonize',
    'no',
    '--cluster-enabled',
    'yes',
    '--cluster-config-file',
    'nodes.conf',
    '--cluster-node-timeout',
    String(nodeTimeout),
    '--save',
    '',
    '--appendonly',
    opts.appendonly ? 'yes' : 'no',
    // A replica's first sync would otherwise wait 5 s for more replicas to batch with.
    '--repl-diskless-sync-delay',
    '0',
    ...(opts.extraArgs ?? []),
  ];

  try {
    await launchAll(
      procs,
      Array.from({ length: total }, (_, i) => {
        const dir = mkdtempSync(join(root, `node${i}-`));
        return launchServer(`cluster node ${i}`, dir, true, argsFor(dir));
      }),
    );
    const spawnMs = performance.now() - started;

    const createStarted = performance.now();
    const create = spawnTracked('redis-cli', [
      '--cluster',
      'create',
      ...procs.map((p) => `${HOST}:${p.port}`),
      '--cluster-replicas',
      String(replicasPerPrimary),
      '--cluster-yes',
    ]);
    let createTimer: NodeJS.Timeout | undefined;
    const createTimeout = new Promise<'timeout'>((r) => (createTimer = setTimeout(() => r('timeout'), CREATE_TIMEOUT_MS)));
    const createOutcome = await Promise.race([create.exited, createTimeout]);
    clearTimeout(createTimer);
    if (createOutcome === 'timeout') {
      await terminate(create, 'SIGKILL');
      throw new Error(`redis-cli --cluster create did not finish within ${CREATE_TIMEOUT_MS} ms: ${create.output()}`);
    }
    if (createOutcome !== 'exited with code 0' || !/All 16384 slots covered/.test(create.output())) {
      throw new Error(`redis-cli --cluster create ${createOutcome}: ${create.output()}`);
    }
    const createMs = performance.now() - createStarted;

    const settleStarted = performance.now();
    await waitSettled(procs, primaries, replicasPerPrimary, SETTLE_TIMEOUT_MS);
    const settleMs = performance.now() - settleStarted;

    const nodes = procs.map((p) => hostPort(p.port));
    const live = () => procs.filter(isRunning);

    const topology = async (port?: number): Promise<ClusterNodeInfo[]> => {
      const candidates = port === undefined ? live() : [processByPort(procs, port)];
      let lastError: unknown = new Error('no live cluster node');
      for (const p of candidates) {
        try {
          return parseClusterNodes(await adminText(p.port, ['CLUSTER', 'NODES']));
        } catch (err) {
          lastError = err;
        }
      }
      throw lastError;
    };

    const keySlot = async (key: string): Promise<number> => {
      let lastError: unknown = new Error('no live cluster node');
      for (const p of live()) {
        try {
          return Number(await adminCall(p.port, ['CLUSTER', 'KEYSLOT', key]));
        } catch (err) {
          lastError = err;
        }
      }
      throw lastError;
    };

    return {
      nodes,
      startupNodes: nodes.map((n) => ({ ...n })),
      timings: { spawnMs, createMs, settleMs, totalMs: performance.now() - started },
      async primaries() {
        const view = await topology();
        return view.filter((n) => n.isPrimary && !n.failing && n.slots.length > 0).map((n) => hostPort(n.port));
      },
      async primaryForKey(key) {
        const slot = await keySlot(key);
        const view = await topology();
        const owner = view.find((n) => n.isPrimary && !n.failing && ownsSlot(n, slot));
        if (!owner) throw new Error(`no live primary serves slot ${slot} (key ${key}); ${describeView(0, view)}`);
        return hostPort(owner.port);
      },
      keySlot,
      topology,
      async kill(port, signal = 'SIGKILL') {
        const proc = processByPort(procs, port);
        // What the node was, for waitForFailover: taken from its own view just before the kill.
        let snapshot: Omit<KillSnapshot, 'at'> | undefined;
        try {
          const view = parseClusterNodes(await adminText(port, ['CLUSTER', 'NODES']));
          const me = view.find((n) => n.myself);
          if (me) snapshot = { id: me.id, slots: me.slots, replicaIds: view.filter((n) => n.masterId === me.id).map((n) => n.id) };
        } catch {
          // Not answering (e.g. SIGSTOPped): no snapshot, waitForFailover will say so.
        }
        await killServer(proc, signal);
        if (snapshot) snapshots.set(port, { ...snapshot, at: proc.killedAt! });
      },
      async restart(port) {
        const proc = processByPort(procs, port);
        await restartServer(proc);
        await waitUntil(`restarted cluster node ${port} rejoins`, SETTLE_TIMEOUT_MS, async () => {
          const info = parseInfo(await adminText(port, ['CLUSTER', 'INFO']));
          if (info.get('cluster_state') !== 'ok') return { done: false, seen: `${port} cluster_state:${info.get('cluster_state')}` };
          const views = await Promise.all(
            live().map(async (p) => ({ port: p.port, view: parseClusterNodes(await adminText(p.port, ['CLUSTER', 'NODES'])) })),
          );
          for (const { port: viewer, view } of views) {
            const entry = view.find((n) => n.port === port);
            if (!entry || entry.failing) return { done: false, seen: describeView(viewer, view) };
          }
          const mine = views.find((v) => v.port === port)!.view.find((n) => n.myself);
          if (mine && !mine.isPrimary) {
            const repl = parseInfo(await adminText(port, ['INFO', 'replication']));
            if (repl.get('master_link_status') !== 'up')
              return { done: false, seen: `${port} master_link_status:${repl.get('master_link_status')}` };
          }
          return { done: true, value: undefined };
        });
      },
      async waitForFailover(oldPrimaryPort, timeoutMs) {
        const snap = snapshots.get(oldPrimaryPort);
        if (!snap)
          throw new Error(
            `waitForFailover(${oldPrimaryPort}): that node was not killed through this handle (or did not answer before the kill)`,
          );
        if (snap.slots.length === 0) throw new Error(`waitForFailover(${oldPrimaryPort}): that node served no slots (a replica?)`);
        return waitUntil(`failover of primary ${oldPrimaryPort}`, timeoutMs, async () => {
          // Every live node at once: one slow answer must not delay the measurement.
          const views = await Promise.all(
            live().map(async (p) => ({
              port: p.port,
              view: parseClusterNodes(await adminText(p.port, ['CLUSTER', 'NODES']).catch(() => '')),
            })),
          );
          const seen: string[] = [];
          for (const { port, view } of views) {
            const me = view.find((n) => n.myself);
            if (!me) continue;
            if (snap.replicaIds.includes(me.id) && me.isPrimary && ownsAll(me, snap.slots)) {
              const info = parseInfo(await adminText(port, ['CLUSTER', 'INFO']));
              if (info.get('cluster_state') === 'ok') {
                return { done: true, value: { promoted: hostPort(port), ms: Math.round(performance.now() - snap.at) } };
              }
              seen.push(`${port} promoted, cluster_state:${info.get('cluster_state')}`);
            } else {
              seen.push(describeView(port, view));
            }
          }
          return { done: false, seen: seen.join('; ') };
        });
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Every node: cluster_state ok, all slots ok, all nodes known, every primary with its replicas linked. */
async function waitSettled(procs: ServerProcess[], primaries: number, replicasPerPrimary: number, timeoutMs: number): Promise<void> {
  const total = procs.length;
  await waitUntil('cluster settles', timeoutMs, async () => {
    for (const p of procs) {
      const info = parseInfo(await adminText(p.port, ['CLUSTER', 'INFO']));
      const state = `${p.port}: state=${info.get('cluster_state')} slots_ok=${info.get('cluster_slots_ok')} known=${info.get('cluster_known_nodes')}`;
      if (
        info.get('cluster_state') !== 'ok' ||
        info.get('cluster_slots_ok') !== String(CLUSTER_SLOTS) ||
        info.get('cluster_known_nodes') !== String(total)
      ) {
        return { done: false, seen: state };
      }
      const view = parseClusterNodes(await adminText(p.port, ['CLUSTER', 'NODES']));
      const masters = view.filter((n) => n.isPrimary && !n.failing && n.slots.length > 0);
      const covered = masters.reduce((sum, m) => sum + slotCount(m.slots), 0);
      const healthy =
        view.length === total &&
        masters.length === primaries &&
        covered === CLUSTER_SLOTS &&
        view.every((n) => !n.failing && n.linkState === 'connected') &&
        masters.every((m) => view.filter((n) => n.masterId === m.id && !n.isPrimary).length === replicasPerPrimary);
      if (!healthy) return { done: false, seen: describeView(p.port, view) };
      const me = view.find((n) => n.myself);
      if (me && !me.isPrimary) {
        const repl = parseInfo(await adminText(p.port, ['INFO', 'replication']));
        if (repl.get('master_link_status') !== 'up')
          return { done: false, seen: `${p.port}: master_link_status=${repl.get('master_link_status')}` };
      }
    }
    return { done: true, value: undefined };
  });
}

// ---------------------------------------------------------------------------------------------
// Sentinel
// ---------------------------------------------------------------------------------------------

export interface StartRedisSentinelOptions {
  /** Master group name; default `cwtest-<hex>`. */
  name?: string;
  /** Default 3. */
  sentinels?: number;
  /** Default 2. */
  quorum?: number;
  /** `down-after-milliseconds`; default 1000. */
  downAfterMs?: number;
  /** `failover-timeout`; default 2000 (a failed election is retried after twice this). */
  failoverTimeoutMs?: number;
  /** Default false. */
  appendonly?: boolean;
}

export interface SentinelFailover {
  promoted: HostPort;
  /** From the kill until a sentinel names a new primary that reports role:master. */
  ms: number;
  /** From the kill until every live sentinel names it. */
  allSentinelsMs: number;
}

export interface RedisSentinelHandle {
  name: string;
  sentinels: HostPort[];
  /** The data nodes as started: [primary, replica]. */
  dataNodes: HostPort[];
  timings: { totalMs: number };
  /** The primary according to the first live sentinel (SENTINEL get-master-addr-by-name). */
  primary(): Promise<HostPort>;
  kill(port: number, signal?: NodeJS.Signals): Promise<void>;
  /** Kills (SIGKILL by default) the node a sentinel names as primary; returns its address. */
  killPrimary(signal?: NodeJS.Signals): Promise<HostPort>;
  /**
   * Starts a killed process again on its port and dir. A data node is waited for until it is
   * what the sentinels make of it (an old primary comes back as a replica of the new one, with
   * its link up and every sentinel listing it); a sentinel until it sees the primary and its peers.
   */
  restart(port: number): Promise<void>;
  /** Waits until the sentinels promoted another node after the last killPrimary()/kill of the primary. */
  waitForFailover(timeoutMs: number): Promise<SentinelFailover>;
  stop(): Promise<void>;
}

export async function startRedisSentinel(opts: StartRedisSentinelOptions = {}): Promise<RedisSentinelHandle> {
  requireBinary('redis-server');
  const name = opts.name ?? `cwtest-${randomBytes(4).toString('hex')}`;
  const sentinelCount = opts.sentinels ?? 3;
  const quorum = opts.quorum ?? 2;
  const downAfter = opts.downAfterMs ?? 1000;
  const failoverTimeout = opts.failoverTimeoutMs ?? 2000;
  const root = makeRoot('sentinel');
  const procs: ServerProcess[] = [];
  let stopped = false;
  let lastPrimaryKill: { port: number; at: number } | undefined;
  const started = performance.now();

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await stopAll(procs, [root]);
  };

  const dataArgs = (dir: string, extra: string[]) => (port: number) => [
    '--port',
    String(port),
    '--bind',
    HOST,
    '--dir',
    dir,
    '--daemonize',
    'no',
    '--save',
    '',
    '--appendonly',
    opts.appendonly ? 'yes' : 'no',
    '--repl-diskless-sync-delay',
    '0',
    ...extra,
  ];

  try {
    const primaryDir = mkdtempSync(join(root, 'primary-'));
    const primary = await launchServer('sentinel primary', primaryDir, false, dataArgs(primaryDir, []));
    procs.push(primary);
    const replicaDir = mkdtempSync(join(root, 'replica-'));
    const replica = await launchServer(
      'sentinel replica',
      replicaDir,
      false,
      dataArgs(replicaDir, ['--replicaof', HOST, String(primary.port)]),
    );
    procs.push(replica);

    const sentinelProcs = await launchAll(
      procs,
      Array.from({ length: sentinelCount }, (_, i) => {
        const dir = mkdtempSync(join(root, `sentinel${i}-`));
        const conf = join(dir, 'sentinel.conf');
        return launchServer(`sentinel ${i}`, dir, false, (port) => {
          // Sentinel rewrites its config file (ids, epochs, discovered peers): it lives in the temp dir.
          writeFileSync(
            conf,
            [
              `port ${port}`,
              `bind ${HOST}`,
              `dir ${dir}`,
              'daemonize no',
              'sentinel resolve-hostnames no',
              `sentinel monitor ${name} ${HOST} ${primary.port} ${quorum}`,
              `sentinel down-after-milliseconds ${name} ${downAfter}`,
              `sentinel failover-timeout ${name} ${failoverTimeout}`,
              `sentinel parallel-syncs ${name} 1`,
              '',
            ].join('\n'),
          );
          return [conf, '--sentinel'];
        });
      }),
    );

    await waitUntil('sentinels see the primary, the replica and each other', SETTLE_TIMEOUT_MS, async () => {
      const repl = parseInfo(await adminText(replica.port, ['INFO', 'replication']));
      if (repl.get('master_link_status') !== 'up')
        return { done: false, seen: `replica master_link_status=${repl.get('master_link_status')}` };
      for (const s of sentinelProcs) {
        const master = pairs(await adminCall(s.port, ['SENTINEL', 'MASTER', name]));
        const summary = `sentinel ${s.port}: master ${master.get('port')} flags=${master.get('flags')} replicas=${master.get('num-slaves')} other-sentinels=${master.get('num-other-sentinels')}`;
        if (
          master.get('port') !== String(primary.port) ||
          master.get('flags') !== 'master' ||
          master.get('num-other-sentinels') !== String(sentinelCount - 1)
        ) {
          return { done: false, seen: summary };
        }
        const replicas = ((await adminCall(s.port, ['SENTINEL', 'REPLICAS', name])) as unknown[]).map(pairs);
        const ours = replicas.find((r) => r.get('port') === String(replica.port));
        if (!ours || ours.get('flags') !== 'slave' || ours.get('master-link-status') !== 'ok') {
          return {
            done: false,
            seen: `${summary}; replica ${replica.port} flags=${ours?.get('flags')} link=${ours?.get('master-link-status')}`,
          };
        }
      }
      return { done: true, value: undefined };
    });

    const liveSentinels = () => sentinelProcs.filter(isRunning);
    const askSentinel = async (port: number): Promise<HostPort> => {
      const reply = await adminCall(port, ['SENTINEL', 'get-master-addr-by-name', name]);
      if (!Array.isArray(reply) || reply.length < 2) throw new Error(`sentinel ${port} does not know ${name}: ${String(reply)}`);
      return { host: String(reply[0]), port: Number(reply[1]) };
    };
    const currentPrimary = async (): Promise<HostPort> => {
      let lastError: unknown = new Error('no live sentinel');
      for (const s of liveSentinels()) {
        try {
          return await askSentinel(s.port);
        } catch (err) {
          lastError = err;
        }
      }
      throw lastError;
    };
    const kill = async (port: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
      const proc = processByPort(procs, port);
      const wasPrimary = !sentinelProcs.includes(proc) && (await currentPrimary().catch(() => undefined))?.port === port;
      await killServer(proc, signal);
      if (wasPrimary) lastPrimaryKill = { port, at: proc.killedAt! };
    };

    return {
      name,
      sentinels: sentinelProcs.map((s) => hostPort(s.port)),
      dataNodes: [hostPort(primary.port), hostPort(replica.port)],
      timings: { totalMs: performance.now() - started },
      primary: currentPrimary,
      kill,
      async killPrimary(signal = 'SIGKILL') {
        const p = await currentPrimary();
        await kill(p.port, signal);
        return p;
      },
      async restart(port) {
        const proc = processByPort(procs, port);
        await restartServer(proc);
        const isSentinel = sentinelProcs.includes(proc);
        await waitUntil(`restarted ${proc.kind} on ${port} rejoins`, SETTLE_TIMEOUT_MS, async () => {
          const primaryNow = await currentPrimary();
          if (isSentinel) {
            const master = pairs(await adminCall(port, ['SENTINEL', 'MASTER', name]));
            const ok = master.get('port') === String(primaryNow.port) && master.get('num-other-sentinels') === String(sentinelCount - 1);
            return ok
              ? { done: true, value: undefined }
              : {
                  done: false,
                  seen: `sentinel ${port}: master ${master.get('port')} other-sentinels=${master.get('num-other-sentinels')}`,
                };
          }
          const repl = parseInfo(await adminText(port, ['INFO', 'replication']));
          if (primaryNow.port === port) {
            return repl.get('role') === 'master'
              ? { done: true, value: undefined }
              : { done: false, seen: `${port} role:${repl.get('role')}` };
          }
          if (
            repl.get('role') !== 'slave' ||
            repl.get('master_port') !== String(primaryNow.port) ||
            repl.get('master_link_status') !== 'up'
          ) {
            return {
              done: false,
              seen: `${port} role:${repl.get('role')} master_port:${repl.get('master_port')} link:${repl.get('master_link_status')} (primary is ${primaryNow.port})`,
            };
          }
          for (const s of liveSentinels()) {
            const replicas = ((await adminCall(s.port, ['SENTINEL', 'REPLICAS', name])) as unknown[]).map(pairs);
            const me = replicas.find((r) => r.get('port') === String(port));
            if (!me || me.get('flags') !== 'slave')
              return { done: false, seen: `sentinel ${s.port} lists ${port} as ${me?.get('flags') ?? 'nothing'}` };
          }
          return { done: true, value: undefined };
        });
      },
      async waitForFailover(timeoutMs) {
        const killed = lastPrimaryKill;
        if (!killed) throw new Error('waitForFailover: no primary was killed through this handle');
        let firstMs: number | undefined;
        let promoted: HostPort | undefined;
        return waitUntil(`sentinel failover away from ${killed.port}`, timeoutMs, async () => {
          const answers = await Promise.all(
            liveSentinels().map((s) =>
              askSentinel(s.port).then(
                (a) => a.port,
                (e: Error) => `error ${e.message}`,
              ),
            ),
          );
          const moved = answers.find((a): a is number => typeof a === 'number' && a !== killed.port);
          if (moved === undefined) return { done: false, seen: `sentinels name ${answers.join(', ')}` };
          if (firstMs === undefined) {
            const role = parseInfo(await adminText(moved, ['INFO', 'replication'])).get('role');
            if (role !== 'master')
              return { done: false, seen: `sentinels name ${answers.join(', ')}; ${moved} still reports role:${role}` };
            firstMs = Math.round(performance.now() - killed.at);
            promoted = hostPort(moved);
          }
          if (!answers.every((a) => a === promoted!.port))
            return { done: false, seen: `sentinels name ${answers.join(', ')} (promoted ${promoted!.port})` };
          return { done: true, value: { promoted: promoted!, ms: firstMs, allSentinelsMs: Math.round(performance.now() - killed.at) } };
        });
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
