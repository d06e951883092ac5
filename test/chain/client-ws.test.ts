/**
 * WebSocket endpoints never leak sockets: a server that accepts TCP and never upgrades used to
 * keep one more connection per poll open for good (viem's transport: 20 polls, 20 sockets, none
 * closed on shutdown). Now each timed-out poll ends its socket and closeEndpointClients ends the rest.
 */
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { closeEndpointClients, createEndpointClient } from '../../src/chain/client';
import { openSocketCount } from '../../src/chain/ws-transport';
import { sampleHead } from '../../src/chain/sample-head';
import type { HeadFailure } from '../../src/model';

async function waitFor(cond: () => boolean, ms: number, what: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('a silent ws server: each poll times out, at most one socket is ever open, none after close', async () => {
  const open = new Set<Socket>();
  let accepted = 0;
  const silent = createServer((s) => {
    accepted++;
    open.add(s);
    s.resume(); // read, so the server sees the client's close
    s.on('close', () => open.delete(s));
    s.on('error', () => {});
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  try {
    const url = `ws://127.0.0.1:${(silent.address() as { port: number }).port}`;
    const client = createEndpointClient({ label: 'silent', url }, { timeoutMs: 300 });
    let maxOpen = 0;
    for (let i = 0; i < 6; i++) {
      const s = await sampleHead(client, { network: 'n', endpoint: 'silent', withSafe: true });
      assert.equal((s as HeadFailure).kind, 'timeout', JSON.stringify(s));
      maxOpen = Math.max(maxOpen, open.size, openSocketCount());
    }
    assert.equal(accepted, 6, 'one connection per poll (each timed-out socket is dropped, the next poll opens a fresh one)');
    assert.ok(maxOpen <= 1, `at most one socket open at a time, saw ${maxOpen}`);
    // One more poll left hanging when the process shuts down.
    const hanging = sampleHead(client, { network: 'n', endpoint: 'silent' });
    await waitFor(
      () => accepted === 7,
      2000,
      () => `accepted ${accepted}`,
    );
    const started = Date.now();
    await closeEndpointClients();
    assert.ok(Date.now() - started < 500, 'terminated, not closed with a handshake');
    await waitFor(
      () => open.size === 0,
      2000,
      () => `${open.size} sockets still open at the server`,
    );
    assert.equal(openSocketCount(), 0);
    assert.equal((await hanging).ok, false, 'the poll in flight ends too');
  } finally {
    for (const s of open) s.destroy();
    silent.close();
  }
});
