import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startAnvil } from '../devnet/anvil';
import { startFaultProxy } from '../devnet/fault-proxy';
import { startChainwatch } from '../app/start';
import { redisConfigFromEnv, type AppConfig, type RedisConfig } from '../config';
import { startPrivateRedis, type PrivateRedis } from '../devnet/redis-server';
import { demoNetwork } from '../demo/network';
import { DemoWatcher } from '../demo/watcher';
import type { Logger } from '../util/log';
import { ConsolePublisher } from '../console/publisher';
import { formatDuration } from '../util/format';
import { untilSignal } from './config-path';
import { createRedisClient, describeRedis } from '../queue/connections';
import { deleteByPrefix } from '../queue/delete-prefix';

const say = (line: string) => process.stdout.write(`\n▶ ${line}\n`);

/**
 * `npm run demo`: a local chain, watched live through Redis and BullMQ exactly as in
 * production; block production halts, chainwatch opens an incident, updates it, and resolves
 * it once blocks resume. Ends by itself with exit code 0 (or 1 if the story did not happen).
 */
export async function runDemo(argv: string[], log: Logger): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { keep: { type: 'boolean', default: false } } });
  const cleanup: (() => Promise<unknown>)[] = [];
  const started = Date.now();
  try {
    say('Starting a local chain (anvil, one block per second) and Redis…');
    const prefix = `chainwatch-demo-${randomBytes(3).toString('hex')}`;
    // REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS (+ REDIS_SENTINEL_NAME) when set; else a private redis-server.
    const shared = redisConfigFromEnv(process.env, prefix);
    const redis: PrivateRedis | null = shared ? null : await startPrivateRedis('.data/demo-redis');
    if (redis) cleanup.push(() => redis.stop());
    if (shared) say(`Using Redis at ${describeRedis(shared)} (keys under ${prefix}, deleted at the end).`);
    const anvil = await startAnvil({ blockTime: 1 });
    cleanup.push(() => anvil.stop());
    const proxy = await startFaultProxy(anvil.url);
    cleanup.push(() => proxy.stop());

    const network = demoNetwork(anvil.url, proxy.url);
    const config: AppConfig = {
      redis: shared ?? { url: redis!.url, prefix },
      log: { level: 'warn' },
      worker: { concurrency: 4 },
      networks: [network],
    };
    const watcher = new DemoWatcher();
    const consolePublisher = new ConsolePublisher((l) => process.stdout.write(`${l}\n`), new Map([[network.name, network]]));
    const running = await startChainwatch(config, {
      log,
      publishers: [watcher.wrap(consolePublisher)],
      onSamples: (_n, samples) => watcher.samples(samples),
    });
    cleanup.unshift(async () => {
      await running.stop();
      if (shared) await deleteKeys(shared, log);
    });

    say(
      `chainwatch polls two RPC providers of "${network.displayName}" every ${network.thresholds.pollIntervalMs} ms: rpc-a (direct) and rpc-b (through a proxy).`,
    );
    await watcher.waitForHead(3, 15_000);
    say(`Blocks arrive: head ${watcher.headLine()}. All quiet.`);

    say('Act 1 — provider rpc-b stops answering. One provider down is an endpoint problem, not a network outage:');
    proxy.setMode({ kind: 'refuse' });
    await watcher.waitForEvent((e) => e.type === 'opened' && e.kind === 'endpoint_down', 15_000);
    await sleep(2000);
    say('rpc-b comes back.');
    proxy.setMode({ kind: 'pass' });
    await watcher.waitForEvent((e) => e.type === 'resolved' && e.kind === 'endpoint_down', 30_000);

    say('Act 2 — block production halts (evm_setIntervalMining 0), as MegaETH did in March 2025:');
    await anvil.halt();
    const haltedAt = Date.now();
    const opened = await watcher.waitForEvent((e) => e.type === 'opened' && e.kind === 'halted', 20_000);
    const lastBlockSeenAt = watcher.lastAdvanceSeenAt();
    await watcher.waitForEvent((e) => e.type === 'severity_changed' && e.severity === 'critical', 30_000);
    say('Blocks resume (evm_setIntervalMining 1):');
    await anvil.resume(1);
    await watcher.waitForEvent((e) => e.type === 'recovered', 15_000);
    await watcher.waitForEvent((e) => e.type === 'resolved' && e.kind === 'halted', 30_000);

    const fromLastBlock = opened.at - lastBlockSeenAt;
    say(
      `Done in ${formatDuration(Date.now() - started)}. The halt was announced ${formatDuration(fromLastBlock)} after the last block was seen ` +
        `(${formatDuration(opened.at - haltedAt)} after the halt command; stall threshold ${formatDuration(network.thresholds.stallMs)}).`,
    );
    const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
    process.stdout.write(
      `${JSON.stringify({ metric: 'demo_halt_to_incident_ms', value: fromLastBlock, stallMs: network.thresholds.stallMs, peakRssMiB })}\n`,
    );
    if (values.keep) {
      say('--keep: still watching; press Ctrl-C to stop.');
      await untilSignal();
    }
    return 0;
  } catch (err) {
    process.stderr.write(`demo failed: ${(err as Error).message}\n`);
    log.debug({ err }, 'demo failed');
    return 1;
  } finally {
    for (const fn of cleanup) await fn().catch(() => undefined);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The demo's own keys on a shared Redis (any topology), and nothing else. */
async function deleteKeys(config: RedisConfig, log: Logger): Promise<void> {
  const r = createRedisClient(config, log);
  try {
    await deleteByPrefix(r, config.prefix);
  } finally {
    r.disconnect();
  }
}
