/**
 * STYLE.md §11/§14: no secret reaches a log line or a message. The logger writes to a temp
 * file, as it would to stderr; the Redis and RPC failures are real (nothing listens there).
 */
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { closeEndpointClients, createEndpointClient } from '../../src/chain/client';
import { sampleHead } from '../../src/chain/sample-head';
import { createLogger } from '../../src/util/log';
import { createRedis } from '../../src/queue/connections';
import { freePort } from '../support/free-port';

const SECRETS = ['SECRET-TOKEN', 'SECRET-APIKEY', 'SECRET-BEARER', 'SECRETPW', 'SECRET-RPCKEY'];

function assertNoSecret(text: string, where: string): void {
  for (const s of SECRETS) assert.ok(!text.includes(s), `${where} contains ${s}:\n${text}`);
}

async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('no secret reaches a log line or a message', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-secrets-'));
  const file = join(dir, 'log.jsonl');
  const fd = openSync(file, 'w');
  const log = createLogger('debug', fd);
  const output = () => readFileSync(file, 'utf8');

  try {
    await t.test('log objects with a token, a keyed URL and an authorization header are redacted', () => {
      log.info({ token: 'SECRET-TOKEN' }, 'discord login');
      log.info({ url: 'https://rpc.example/v2?apikey=SECRET-APIKEY' }, 'endpoint');
      log.warn({ endpoint: { label: 'rpc-a', url: 'https://rpc.example/?apikey=SECRET-APIKEY' } }, 'endpoint slow');
      log.info({ bot: { token: 'SECRET-TOKEN' }, headers: { authorization: 'Bearer SECRET-BEARER' } }, 'request');
      const out = output();
      assert.equal(out.trim().split('\n').length, 4, out);
      assert.match(out, /\[redacted\]/);
      assertNoSecret(out, 'log');
    });

    await t.test('the Redis retry line names the host, not the password', async () => {
      const redis = createRedis('redis://user:SECRETPW@127.0.0.1:1', log);
      try {
        await waitFor(() => output().includes('is unreachable; retrying in'), 10_000, 'a Redis retry log line');
      } finally {
        redis.disconnect();
      }
      const line = output()
        .split('\n')
        .find((l) => l.includes('retrying in'))!;
      const parsed = JSON.parse(line) as { msg: string; redis: string; reason?: string };
      assert.match(parsed.msg, /^Redis at redis:\/\/127\.0\.0\.1:1\/? is unreachable; retrying in \d+ ms$/);
      assert.equal(parsed.reason, 'ECONNREFUSED');
      assertNoSecret(output(), 'log');
    });

    await t.test('a failed poll of a keyed RPC URL carries no key in its HeadFailure', async () => {
      // Port 1 is on fetch's blocked-port list (it fails before connecting); a free port that
      // nothing listens on is refused by the OS. Both failure paths are checked.
      const closedPort = await freePort();
      const cases = [
        { port: 1, message: /^connection failed/ },
        { port: closedPort, message: /^connection failed \(ECONNREFUSED\)$/ },
      ];
      for (const { port, message } of cases) {
        const endpoint = { label: 'rpc-a', url: `http://127.0.0.1:${port}/?key=SECRET-RPCKEY` };
        const client = createEndpointClient(endpoint, { timeoutMs: 2000 });
        const sample = await sampleHead(client, { network: 'testnet', endpoint: endpoint.label }, () => 0);
        assert.ok(!sample.ok, `port ${port} answered`);
        assert.equal(sample.kind, 'unreachable');
        assert.equal(sample.endpoint, 'rpc-a');
        assert.match(sample.message, message);
        assertNoSecret(sample.message, 'HeadFailure.message');
        assertNoSecret(JSON.stringify(sample), 'HeadFailure');
        log.warn({ sample }, sample.message);
      }
      assertNoSecret(output(), 'log');
    });
  } finally {
    await closeEndpointClients();
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
});
