/**
 * A private redis-server started with exactly the flags docker-compose.yml gives the `redis`
 * service (read from the file, so the drill tests what is deployed), plus a loopback port and
 * a data directory. Restartable in place: same port, same directory, so the AOF is reloaded.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import YAML from 'yaml';

const COMPOSE = join(import.meta.dirname, '../../../docker-compose.yml');

/** `["--appendonly", "yes", …]`: the redis service's command after `redis-server`. */
export function composeRedisFlags(): string[] {
  const doc = YAML.parse(readFileSync(COMPOSE, 'utf8')) as { services?: { redis?: { command?: unknown } } };
  const command = doc.services?.redis?.command;
  if (!Array.isArray(command) || command[0] !== 'redis-server')
    throw new Error('docker-compose.yml: services.redis.command is not ["redis-server", …flags]');
  return command.slice(1).map(String);
}

export interface ComposeRedis {
  url: string;
  port: number;
  flags: string[];
  child: ChildProcess;
  /** SHUTDOWN, as `docker compose stop` ends it (SIGTERM: graceful, the AOF is flushed). */
  shutdown(): Promise<void>;
  /** SIGKILL of its process group (cleanup). */
  kill(): void;
}

export async function startComposeRedis(dir: string, port: number): Promise<ComposeRedis> {
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error) {
    throw new Error('this drill needs redis-server on the PATH (Debian/Ubuntu: apt-get install redis-server)');
  }
  const flags = composeRedisFlags();
  const child = spawn('redis-server', [...flags, '--port', String(port), '--bind', '127.0.0.1', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let log = '';
  child.stdout!.on('data', (d) => (log = (log + d).slice(-20_000)));
  child.stderr!.on('data', (d) => (log = (log + d).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `redis://127.0.0.1:${port}`;
  const kill = () => {
    try {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // gone
    }
  };
  process.once('exit', kill);
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}: ${log.slice(-2000)}`);
    const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    r.on('error', () => undefined);
    try {
      await r.connect();
      // Loading the AOF answers -LOADING until done.
      if ((await r.ping()) === 'PONG') break;
    } catch {
      if (Date.now() > deadline) {
        kill();
        throw new Error(`redis-server did not answer within 15 s: ${log.slice(-2000)}`);
      }
      await new Promise((res) => setTimeout(res, 100));
    } finally {
      r.disconnect();
    }
  }
  return {
    url,
    port,
    flags,
    child,
    async shutdown() {
      const r = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
      r.on('error', () => undefined);
      // The connection closes before any reply: that is the success case.
      await r.call('SHUTDOWN').catch(() => undefined);
      r.disconnect();
      await exited;
    },
    kill,
  };
}
