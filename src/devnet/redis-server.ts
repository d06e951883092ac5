import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { Redis } from 'ioredis';
import { freePort } from './anvil';

export interface PrivateRedis {
  url: string;
  stop(): Promise<void>;
}

export class RedisNotInstalledError extends Error {
  constructor() {
    super('No Redis: set REDIS_URL, or install redis-server (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis).');
    this.name = 'RedisNotInstalledError';
  }
}

export interface PrivateRedisOptions {
  /** Default: a free port. Give the old port to restart a server in place. */
  port?: number;
  /** Append-only file on (to survive a restart, as production should). */
  appendonly?: boolean;
}

/** A throwaway redis-server from PATH, data in `dir`, on a loopback port. */
export async function startPrivateRedis(dir: string, opts: PrivateRedisOptions = {}): Promise<PrivateRedis & { port: number }> {
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error) throw new RedisNotInstalledError();
  mkdirSync(dir, { recursive: true });
  const port = opts.port ?? (await freePort());
  const aof = opts.appendonly ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...aof, '--dir', dir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = `redis://127.0.0.1:${port}`;
  await waitForPing(url, child);
  return {
    url,
    port,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      // redis-server saves nothing on shutdown here, but a loaded machine can be slow: do not wait for ever.
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitForPing(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    r.on('error', () => undefined);
    try {
      await r.connect();
      await r.ping();
      return;
    } catch {
      await new Promise((res) => setTimeout(res, 100));
    } finally {
      r.disconnect();
    }
  }
  child.kill('SIGKILL');
  throw new Error('redis-server did not answer within 10 s');
}
