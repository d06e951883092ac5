import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { freePort } from '../../src/devnet/anvil';
import { startPrivateRedis } from '../../src/devnet/redis-server';
import { startAnvil } from '../support/anvil';
import { testNetwork } from '../support/network';
import { CapturePublisher, waitUntil } from '../support/pipeline';
import { spawnCli, writeTempConfig } from '../support/spawn-cli';
import { startChainwatch } from '../../src/app/start';
import { createLogger } from '../../src/util/log';

/** A private redis-server per test: these tests stop and restart it. */

test('Redis unavailable at start: a clear retry line, then it carries on once Redis is up', { timeout: 120_000 }, async () => {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'cw-redis-'));
  const anvil = await startAnvil({ blockTime: 1 });
  const config = writeTempConfig(`
redis: { url: "redis://127.0.0.1:${port}", prefix: cwtest-start }
networks:
  - { name: late, chainId: 31337, blockTime: 1s, endpoints: [{ label: rpc-a, url: "${anvil.url}" }] }
`);
  const cli = spawnCli(['start', '--config', config], { LOG_LEVEL: 'info' });
  let redis: Awaited<ReturnType<typeof startPrivateRedis>> | undefined;
  try {
    await cli.waitForOutput(/Redis at redis:\/\/127\.0\.0\.1:\d+\/? is unreachable; retrying in \d+ ms/, 10_000, 'stderr');
    assert.equal(cli.child.exitCode, null, 'still running, not crash-looping');
    redis = await startPrivateRedis(dir, { port });
    await cli.waitForOutput(/poll schedulers in place/, 15_000, 'stderr');
    assert.equal(await cli.stop(), 0);
  } finally {
    await cli.stop();
    await redis?.stop();
    await anvil.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Redis restarting mid-incident (AOF on): no IncidentEvent lost, none delivered twice', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-redis-'));
  let redis = await startPrivateRedis(dir, { appendonly: true });
  const anvil = await startAnvil({ blockTime: 1 });
  const capture = new CapturePublisher();
  const network = testNetwork({
    name: 'restart',
    endpoints: [{ label: 'rpc-a', url: anvil.url }],
    thresholds: { pollIntervalMs: 250, requestTimeoutMs: 1000, stallMs: 2500, resolveAfterMs: 3000, safeLagBlocks: null },
  });
  const running = await startChainwatch(
    { redis: { url: redis.url, prefix: 'cwtest-restart' }, log: { level: 'warn' }, worker: { concurrency: 2 }, networks: [network] },
    { log: createLogger('silent'), publishers: [capture] },
  );
  try {
    await new Promise((r) => setTimeout(r, 1500));
    await anvil.halt();
    const opened = await capture.waitFor((e) => e.type === 'opened', 10_000, 'opened');
    await redis.stop();
    await new Promise((r) => setTimeout(r, 1500));
    redis = await startPrivateRedis(dir, { port: redis.port, appendonly: true });
    await anvil.resume(1);
    await capture.waitFor((e) => e.type === 'resolved', 30_000, 'resolved after the restart');
    const timeline = await running.store.getTimeline(opened.incidentId);
    assert.deepEqual(
      capture.events.map((e) => e.seq),
      timeline.map((e) => e.seq),
      'delivered = stored',
    );
    assert.deepEqual(
      timeline.map((e) => e.seq),
      timeline.map((_, i) => i + 1),
      'gap-free, once each',
    );
    assert.deepEqual(timeline.map((e) => e.type).slice(-2), ['recovered', 'resolved']);
  } finally {
    await running.stop();
    await redis.stop();
    await anvil.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
