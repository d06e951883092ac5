/** web3_clientVersion: parsing real answers, the minimum check, /status text, and a real anvil through the job. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Job } from 'bullmq';
import { createNodeTelemetryProcessor } from '../../jobs/node-telemetry';
import { clientText, renderNetworkDetail } from '../../src/discord/bot/render/status';
import { closeEndpointClients, createEndpointClient } from '../../src/chain/client';
import { StatusService } from '../../src/discord/bot/status-service';
import { SilenceStore } from '../../src/store/silences';
import { IncidentStore } from '../../src/store/incidents';
import { createLogger } from '../../src/util/log';
import { PublishOutbox } from '../../src/queue/outbox';
import { PublicationStore } from '../../src/store/publications';
import { keyspace } from '../../src/model';
import { checkClientVersion, clientView, minimumFor, normaliseMinimum, parseClientVersion } from '../../src/util/client-version';
import { ClientVersionStore, type ClientVersions } from '../../src/store/client-versions';
import { NOW, row } from '../discord/bot/render/fixtures';
import { startAnvil, type Anvil } from '../support/anvil';
import { testNetwork } from '../support/network';
import { testRedis, type TestRedis } from '../support/redis';

test('answers of real clients parse to a name and a semver version', () => {
  const cases: [string, string, string | null][] = [
    ['reth/v1.3.12-abc/x86_64-unknown-linux-gnu', 'reth', '1.3.12'],
    ['Geth/v1.14.8-stable-a9523b64/linux-amd64/go1.22.6', 'geth', '1.14.8'],
    ['Geth/my-node/v1.13.15-stable/linux-amd64/go1.21.6', 'geth', '1.13.15'],
    ['op-reth/v1.1.0', 'op-reth', '1.1.0'],
    ['anvil/v1.7.1', 'anvil', '1.7.1'],
    ['Nethermind/v1.25.4+20b10b35/linux-x64/dotnet8.0.1', 'nethermind', '1.25.4'],
    ['erigon/3.0.0/linux-amd64/go1.23.1', 'erigon', '3.0.0'],
    ['mystery-client', 'mystery-client', null],
    ['', '', null],
  ];
  for (const [answer, client, version] of cases)
    assert.deepEqual([parseClientVersion(answer).client, parseClientVersion(answer).version], [client, version], answer);
  assert.equal(parseClientVersion('x/'.repeat(500)).raw.length, 200);
});

test('the minimum: per client or for any, endpoint over network', () => {
  const reth = parseClientVersion('reth/v1.3.12-abc/x86_64-unknown-linux-gnu');
  assert.deepEqual(checkClientVersion(reth, { '*': '1.4.0' }), { kind: 'outdated', minimum: '1.4.0' });
  assert.deepEqual(checkClientVersion(reth, { reth: '1.3.12' }), { kind: 'ok' });
  assert.deepEqual(checkClientVersion(reth, { geth: '1.14.0' }), { kind: 'unchecked' });
  assert.deepEqual(checkClientVersion(reth, undefined), { kind: 'unchecked' });
  assert.deepEqual(checkClientVersion(parseClientVersion('mystery'), { '*': '1.0.0' }), { kind: 'unknown', minimum: '1.0.0' });
  assert.deepEqual(minimumFor({ minClientVersion: { '*': '1.0.0', reth: '1.2.0' } }, { minClientVersion: { reth: '1.3.0' } }), {
    '*': '1.0.0',
    reth: '1.3.0',
  });
  assert.equal(minimumFor({}, {}), undefined);
  assert.equal(normaliseMinimum('v1.3'), '1.3.0');
  assert.equal(normaliseMinimum('latest'), undefined);
});

test("/status detail shows each endpoint's client and warns when it is older than the minimum", () => {
  const clients = {
    'rpc-a': clientView({ raw: 'reth/v1.3.12-abc/x86_64-unknown-linux-gnu' }, { '*': '1.4.0' }),
    'rpc-b': clientView({ raw: 'Geth/v1.14.8-stable-a9523b64/linux-amd64/go1.22.6' }, { geth: '1.14.0' }),
  };
  const reply = renderNetworkDetail(
    row('megaeth', 'MegaETH', { clients, memory: { 'rpc-a': 'op-reth: 91% of 32 GiB, +1.4 GiB/h, out of memory in about 2 h' } }),
    [],
    NOW,
  );
  const value = reply.embeds![0]!.fields![0]!.value;
  assert.match(
    value,
    /\*\*rpc-a\*\* ok · #1,234,567 · 120 ms · ⚠️ reth 1\.3\.12, older than 1\.4\.0 · memory op-reth: 91% of 32 GiB, \+1\.4 GiB\/h, out of memory in about 2 h/,
  );
  assert.match(value, /\*\*rpc-b\*\* ok · #1,234,567 · 120 ms · geth 1\.14\.8$/m);
  // Hostile answers are escaped and cut; no answer shows nothing.
  assert.equal(
    clientText(clientView({ raw: '**@everyone** [x](http://evil)' }, undefined)),
    '\\*\\*@\u200beveryone\\*\\* \\[x\\](http://evil)',
    'mentions broken by a zero-width space',
  );
  assert.equal(clientText(clientView({ raw: null, error: 'request timed out' }, { '*': '1.0.0' })), '');
});

let anvil: Anvil;
let r: TestRedis;
before(async () => {
  anvil = await startAnvil();
  r = testRedis();
});
after(async () => {
  await closeEndpointClients();
  await anvil?.stop();
  await r?.cleanup();
});

test('real anvil: the job reads web3_clientVersion, stores it with a TTL, and warns when older than the minimum', async () => {
  const keys = keyspace(r.prefix);
  const network = testNetwork({
    name: 'anvil-net',
    endpoints: [
      { label: 'anvil', url: anvil.url, minClientVersion: { anvil: '99.0.0' } },
      { label: 'dead', url: 'http://127.0.0.1:1/rpc?key=sk_secret' },
    ],
  });
  const clientVersions = new ClientVersionStore(r.redis, keys, 1800);
  const warnings: Record<string, unknown>[] = [];
  const log = createLogger('silent');
  log.warn = ((obj: Record<string, unknown>) => void warnings.push(obj)) as typeof log.warn;
  const store = new IncidentStore(r.redis, keys);
  const processor = createNodeTelemetryProcessor({
    networks: new Map([[network.name, network]]),
    store,
    outbox: new PublishOutbox(new Map(), new PublicationStore(r.redis, keys)),
    log,
    clientVersions,
    client: (ep, timeoutMs) => createEndpointClient(ep, { timeoutMs }),
  });
  const out = (await processor({ name: 'client-version', id: 'cv-1', data: { network: network.name } } as Job)) as ClientVersions;
  assert.match(out.anvil!.raw!, /^anvil\/v1\.\d+\.\d+/);
  assert.equal(out.dead!.raw, null);
  assert.ok(out.dead!.error && !out.dead!.error.includes('sk_secret'));
  const stored = (await clientVersions.readMany([network.name])).get(network.name)!;
  assert.equal(stored.anvil!.raw, out.anvil!.raw);
  const ttl = await r.redis.ttl(keys.clientVersions(network.name));
  assert.ok(ttl > 1700 && ttl <= 1800, `ttl ${ttl}`);
  assert.equal(warnings.length, 1);
  assert.deepEqual(
    { ...warnings[0], version: undefined },
    { network: 'anvil-net', endpoint: 'anvil', client: 'anvil', version: undefined, minimum: '99.0.0' },
  );
  const view = clientView(stored.anvil!, minimumFor(network, network.endpoints[0]!));
  assert.equal(view.check.kind, 'outdated');
  assert.match(clientText(view), /^⚠️ anvil 1\.\d+\.\d+, older than 99\.0\.0$/);
  // What /status network:<name> reads: the versions beside the network's state, checked.
  const status = new StatusService({
    store,
    silences: new SilenceStore(r.redis, keys),
    publications: new PublicationStore(r.redis, keys),
    networks: [network],
    clock: Date.now,
    clientVersions,
  });
  const [statusRow] = await status.rows([network], null);
  assert.equal(statusRow!.clients?.anvil?.check.kind, 'outdated');
  assert.equal(statusRow!.clients?.dead?.raw, null);
  await store.close();
});
