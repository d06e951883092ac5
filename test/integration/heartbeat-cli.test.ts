/**
 * `chainwatch start` as operators run it (spawned CLI, config file, URL from the environment):
 * two processes (`all` and a second `worker`) on one Redis, pinging the heartbeat receiver once
 * per `every: 10s` between them, and the URL in none of their output.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startAnvil, type Anvil } from '../support/anvil';
import { startHeartbeatReceiver, type HeartbeatReceiver } from '../support/heartbeat-receiver';
import { deleteKeys, REDIS_URL } from '../support/pipeline';
import { spawnCli, writeTempConfig, type CliProcess } from '../support/spawn-cli';

const UUID = randomUUID();
const prefix = `cwtest-${randomUUID().slice(0, 12)}`;
const EVERY_MS = 10_000;
let anvil: Anvil;
let receiver: HeartbeatReceiver;
let procs: CliProcess[] = [];

before(async () => {
  anvil = await startAnvil({ blockTime: 1 });
  receiver = await startHeartbeatReceiver();
  const config = writeTempConfig(`
redis: { url: "${REDIS_URL}", prefix: ${prefix} }
networks:
  - name: hb-cli
    chainId: 31337
    blockTime: 1s
    endpoints:
      - { label: rpc-a, url: "${anvil.url}" }
    thresholds: { pollInterval: 500ms, requestTimeout: 1s, safeLagBlocks: null }
heartbeat:
  url: \${HEARTBEAT_URL}
  every: 10s
`);
  const env = { LOG_LEVEL: 'info', REDIS_URL, HEARTBEAT_URL: `${receiver.url}/ping/${UUID}` };
  procs = [spawnCli(['start', '--config', config], env), spawnCli(['start', '--role', 'worker', '--config', config], env)];
});

after(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  await deleteKeys(prefix);
  await receiver?.close();
  await anvil?.stop();
});

test('pings arrive once per 10 s from two processes, and the URL is in none of their output', { timeout: 75_000 }, async (ctx) => {
  const started = Date.now();
  await receiver.waitForPings(1, 45_000);
  const firstAfterMs = Date.now() - started;
  const pings = await receiver.waitForPings(3, 2 * EVERY_MS + 5000);
  assert.ok(
    pings.every((p) => p.kind === 'success' && p.token === UUID && p.answered === 200),
    JSON.stringify(pings),
  );
  const gaps = pings.slice(1).map((p, i) => p.at - pings[i]!.at);
  ctx.diagnostic(`first ping ${firstAfterMs} ms after spawn; gaps ${gaps.join(', ')} ms (every ${EVERY_MS} ms)`);
  // No tick missed, none extra (a gap may be short after a tick that was picked up late).
  assert.ok(
    gaps.every((g) => g < EVERY_MS + 2000),
    `gaps ${gaps.join(', ')} ms`,
  );
  const span = pings.at(-1)!.at - pings[0]!.at;
  assert.ok(pings.length - 1 <= Math.round(span / EVERY_MS), `${pings.length} pings in ${span} ms from two processes`);
  const output = procs.map((p) => p.stdout() + p.stderr()).join('\n');
  assert.match(output, /heartbeat scheduler upserted/);
  assert.match(output, /heartbeat: chainwatch is working, pinging/);
  assert.ok(!output.includes(UUID) && !output.includes(receiver.url), 'the URL is in the output');
});
