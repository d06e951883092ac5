/**
 * docker-compose.yml's `sentinel` profile, run without a Docker engine: the primary (`redis`),
 * its replica and the three sentinels are started from the very commands the file gives them
 * (the sentinels' `sh -c` script included), with the service names mapped to loopback ports
 * the way Docker's DNS would map them to containers. Then: the sentinels agree on the primary,
 * see the replica and each other, and promote the replica when the primary is killed -9. What
 * the file cannot be checked for here: the image, volumes and healthchecks (no engine).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Redis } from 'ioredis';
import YAML from 'yaml';

const COMPOSE = join(import.meta.dirname, '../../docker-compose.yml');
const SENTINELS = ['sentinel-1', 'sentinel-2', 'sentinel-3'];
const NAME = 'chainwatch';

interface Service {
  command?: unknown;
  profiles?: string[];
  environment?: Record<string, string>;
}

const children: ChildProcess[] = [];
const dirs: string[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) process.kill(-c.pid!, 'SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

function run(cmd: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(cmd, args, { detached: true, stdio: 'ignore', env: { ...process.env, ...env } });
  children.push(child);
  return child;
}

function client(port: number): Redis {
  const r = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 200 });
  r.on('error', () => undefined);
  return r;
}

async function until<T>(what: string, ms: number, probe: () => Promise<T | null | false | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  let last = 'nothing yet';
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms (last: ${last})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test(
  "docker-compose's sentinel profile: a primary, a replica and 3 sentinels that promote it on kill -9",
  { timeout: 90_000 },
  async () => {
    const services = (YAML.parse(readFileSync(COMPOSE, 'utf8'), { merge: true }) as { services: Record<string, Service> }).services;
    const inProfile = Object.entries(services)
      .filter(([, s]) => s.profiles?.includes('sentinel'))
      .map(([n]) => n)
      .sort();
    assert.deepEqual(inProfile, ['redis-replica', ...SENTINELS], 'the profile adds a replica and three sentinels');
    assert.equal(services.redis!.profiles, undefined, 'the primary runs in every profile');
    for (const role of ['scheduler', 'worker']) {
      const env = services[role]!.environment!;
      assert.equal(env.REDIS_SENTINELS, '${REDIS_SENTINELS:-}', `${role} is given REDIS_SENTINELS`);
      assert.equal(env.REDIS_SENTINEL_NAME, NAME, `${role} names the group the sentinels monitor`);
    }

    // Docker's DNS, by hand: each service name is a loopback port.
    const port: Record<string, number> = {};
    for (const name of ['redis', 'redis-replica', ...SENTINELS]) port[name] = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'cw-compose-sentinel-'));
    dirs.push(dir);
    const argv = (name: string): string[] => {
      const command = services[name]!.command as string[];
      assert.equal(command[0], 'redis-server', `${name} runs redis-server`);
      const args = command.slice(1).map(String);
      const of = args.indexOf('--replicaof');
      if (of >= 0) args.splice(of + 1, 2, '127.0.0.1', String(port[args[of + 1]!]));
      const announce = args.indexOf('--replica-announce-ip');
      if (announce >= 0) args[announce + 1] = '127.0.0.1';
      return [
        ...args,
        '--port',
        String(port[name]),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--appenddirname',
        name,
        '--dbfilename',
        `${name}.rdb`,
      ];
    };
    const primary = run('redis-server', argv('redis'));
    run('redis-server', argv('redis-replica'));
    for (const name of SENTINELS) {
      const s = services[name]!;
      const command = s.command as string[];
      assert.deepEqual(command.slice(0, 2), ['sh', '-c'], `${name} writes its config and runs`);
      // Compose turns `$$` into `$` before the shell sees the script.
      const script = command[2]!
        .replaceAll('$$', '$')
        .replaceAll('/data/', `${dir}/${name}-`)
        .replace(/^port 26379$/m, `port ${port[name]}`)
        .replace(new RegExp(`^sentinel monitor ${NAME} redis 6379 `, 'm'), `sentinel monitor ${NAME} 127.0.0.1 ${port.redis} `);
      assert.match(script, new RegExp(`sentinel monitor ${NAME} 127\\.0\\.0\\.1 ${port.redis} 2$`, 'm'), 'monitors `redis` with quorum 2');
      run('sh', ['-c', script], { SENTINEL_HOST: '127.0.0.1' });
    }

    const sentinels = SENTINELS.map((n) => client(port[n]!));
    try {
      for (const [i, s] of sentinels.entries()) {
        await until(`${SENTINELS[i]} sees the replica and the other two sentinels`, 30_000, async () => {
          const [addr, replicas, peers] = await Promise.all([
            s.call('SENTINEL', 'get-master-addr-by-name', NAME) as Promise<string[]>,
            s.call('SENTINEL', 'replicas', NAME) as Promise<unknown[]>,
            s.call('SENTINEL', 'sentinels', NAME) as Promise<unknown[]>,
          ]);
          return addr?.[1] === String(port.redis) && replicas.length === 1 && peers.length === 2;
        });
      }
      process.kill(-primary.pid!, 'SIGKILL');
      // down-after-milliseconds is 5 s in the file; then one election.
      await until('a sentinel names the replica as primary', 45_000, async () => {
        const addr = (await sentinels[0]!.call('SENTINEL', 'get-master-addr-by-name', NAME)) as string[];
        return addr?.[1] === String(port['redis-replica']);
      });
      const promoted = client(port['redis-replica']!);
      try {
        assert.match(await promoted.info('replication'), /role:master/, 'the replica is a primary now');
      } finally {
        promoted.disconnect();
      }
    } finally {
      for (const s of sentinels) s.disconnect();
    }
  },
);
