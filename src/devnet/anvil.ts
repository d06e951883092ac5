/**
 * A local anvil node for tests and `chainwatch demo`: spawned on a free loopback port,
 * controlled over its JSON-RPC (mining, halts, reorgs), and killed when its owner stops it
 * or exits, so a crashed test never leaves a node running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { anvilBinary } from './anvil-binary';

export interface StartAnvilOptions {
  /** Interval mining in seconds (fractional allowed by the CLI); default: mine on each tx. */
  blockTime?: number;
  /** Never mine on its own (`--no-mining`); use `mine()` to advance. */
  noMining?: boolean;
  chainId?: number;
  /** Extra CLI flags. */
  args?: string[];
}

export interface Anvil {
  url: string;
  port: number;
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  /** Stop producing blocks: a simulated chain halt (`evm_setIntervalMining [0]`). */
  halt(): Promise<void>;
  /** Produce a block every `blockTimeSec` whole seconds again. */
  resume(blockTimeSec: number): Promise<void>;
  mine(n?: number): Promise<void>;
  /** Replace the newest `depth` blocks with new empty ones at the same height (`anvil_reorg`). */
  reorg(depth: number): Promise<void>;
  blockNumber(): Promise<number>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 15_000;
const RPC_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 3_000;
/** Keep only the tail of anvil's output for error messages. */
const OUTPUT_TAIL_CHARS = 4_000;
/** Another process may grab the free port before anvil binds it. */
const START_ATTEMPTS = 3;

const live = new Set<ChildProcess>();
let exitHooksInstalled = false;

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close((err) => (err || port === 0 ? reject(err ?? new Error('no port assigned')) : resolve(port)));
    });
  });
}

export async function startAnvil(opts: StartAnvilOptions = {}): Promise<Anvil> {
  const binary = anvilBinary();
  let lastError: unknown;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    const port = await freePort();
    try {
      return await spawnAnvil(binary, port, opts);
    } catch (err) {
      lastError = err;
      if (!/address already in use|AddrInUse/i.test(String(err))) throw err;
    }
  }
  throw lastError;
}

function cliArgs(port: number, opts: StartAnvilOptions): string[] {
  const args = ['--host', '127.0.0.1', '--port', String(port), '--silent'];
  if (opts.blockTime !== undefined) args.push('--block-time', String(opts.blockTime));
  if (opts.noMining) args.push('--no-mining');
  if (opts.chainId !== undefined) args.push('--chain-id', String(opts.chainId));
  return [...args, ...(opts.args ?? [])];
}

async function spawnAnvil(binary: string, port: number, opts: StartAnvilOptions): Promise<Anvil> {
  installExitHooks();
  const child = spawn(binary, cliArgs(port, opts), { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  // The node lives only as long as its owner; it must not keep a finished test alive.
  child.unref();
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', collect);
    (stream as unknown as { unref?: () => void } | null)?.unref?.();
  }
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve(`exited (${signal ?? `code ${code}`})`);
    });
    child.once('error', (err) => {
      live.delete(child);
      resolve(`failed to start: ${err.message}`);
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const rpc = <T>(method: string, params: unknown[] = []) => anvilRpc<T>(url, method, params);
  try {
    await waitReady(rpc, exited, () => output);
  } catch (err) {
    await killChild(child, exited);
    throw err;
  }
  return anvilHandle(url, port, rpc, () => killChild(child, exited));
}

function anvilHandle(
  url: string,
  port: number,
  rpc: <T>(method: string, params?: unknown[]) => Promise<T>,
  stop: () => Promise<void>,
): Anvil {
  return {
    url,
    port,
    rpc,
    halt: async () => {
      await rpc('evm_setIntervalMining', [0]);
    },
    resume: async (blockTimeSec) => {
      // anvil parses this parameter as an integer ("invalid number" for 0.5).
      if (!Number.isInteger(blockTimeSec) || blockTimeSec <= 0) {
        throw new RangeError(`resume: block time must be a whole number of seconds > 0, got ${blockTimeSec}`);
      }
      await rpc('evm_setIntervalMining', [blockTimeSec]);
    },
    mine: async (n = 1) => {
      await rpc('anvil_mine', [`0x${n.toString(16)}`]);
    },
    reorg: async (depth) => {
      await rpc('anvil_reorg', [depth, []]);
    },
    blockNumber: async () => Number(await rpc<string>('eth_blockNumber')),
    stop,
  };
}

async function waitReady(rpc: (method: string) => Promise<unknown>, exited: Promise<string>, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exitReason: string | undefined;
  void exited.then((reason) => (exitReason = reason));
  while (Date.now() < deadline) {
    if (exitReason) throw new Error(`anvil ${exitReason} before answering: ${output().trim() || '(no output)'}`);
    try {
      await rpc('eth_chainId');
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`anvil did not answer eth_chainId within ${READY_TIMEOUT_MS} ms: ${output().trim() || '(no output)'}`);
}

async function anvilRpc<T>(url: string, method: string, params: unknown[]): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(RPC_TIMEOUT_MS),
  });
  const body = (await res.json()) as { result?: T; error?: { code: number; message: string } };
  if (body.error) throw new Error(`anvil ${method} failed: ${body.error.code} ${body.error.message}`);
  return body.result as T;
}

async function killChild(child: ChildProcess, exited: Promise<string>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), STOP_GRACE_MS)));
  if ((await Promise.race([exited, grace])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
  clearTimeout(timer);
}

function killAllSync(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

/**
 * 'exit' covers normal ends, process.exit and uncaught errors. A signal ends the
 * process without 'exit', so we also listen for SIGINT/SIGTERM, but only act (kill the
 * nodes, then re-raise for the default behaviour) when nobody else handles the signal:
 * an owner with its own graceful shutdown keeps control and 'exit' cleans up after it.
 */
function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', killAllSync);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const handler = () => {
      if (process.listeners(signal).some((l) => l !== handler)) return;
      killAllSync();
      process.off(signal, handler);
      process.kill(process.pid, signal);
    };
    process.on(signal, handler);
  }
}
