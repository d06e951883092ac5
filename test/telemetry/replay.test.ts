/** `type: "node"` replay lines: a recorded leak replays to the same memory_pressure incident as live. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Replayer } from '../../src/replay/replayer';

const GiB = 2 ** 30;
const T0 = Date.parse('2025-03-07T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

test('a leak in node lines opens and resolves memory_pressure, with the chain healthy beside it', () => {
  const r = new Replayer({ events: true });
  r.push(JSON.stringify({ type: 'network', name: 'megaeth', blockTimeMs: 1000, endpoints: ['rpc-a'], resolveAfter: '1m' }));
  const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
  for (let i = 0; i < 120; i++) {
    const t = T0 + i * 15_000;
    // 89 % of 32 GiB plus 1.4 GiB/h for 80 scrapes, then a restart at 30 %.
    const resident = i < 80 ? 0.89 * 32 * GiB + (i * 1.4 * GiB) / 240 : 0.3 * 32 * GiB;
    r.push(
      JSON.stringify({
        t: iso(t),
        type: 'node',
        network: 'megaeth',
        endpoint: 'rpc-a',
        residentBytes: Math.round(resident),
        limitBytes: 32 * GiB,
        process: 'op-reth',
      }),
    );
    r.push(
      JSON.stringify({
        t: iso(t + 1),
        type: 'head',
        network: 'megaeth',
        endpoint: 'rpc-a',
        number: 1000 + i * 15,
        hash: hash(1000 + i * 15),
        parentHash: hash(999 + i * 15),
        timestamp: Math.floor((t + 1) / 1000),
      }),
    );
  }
  r.push(JSON.stringify({ t: iso(T0), type: 'node', network: 'megaeth', endpoint: 'rpc-a', residentBytes: 1, error: 'timeout' }));
  const incidents = r.finish();
  assert.deepEqual(r.summary.errors, ['line 242: line: give residentBytes or error, not both']);
  assert.equal(incidents.length, 1);
  const [inc] = incidents;
  assert.equal(inc!.kind, 'memory_pressure');
  assert.equal(inc!.title, 'Node rpc-a running out of memory');
  assert.equal(inc!.status, 'resolved');
  assert.equal(
    inc!.events![0]!.text,
    'Node rpc-a running out of memory. op-reth on rpc-a: 90% of 32 GiB, +1.4 GiB/h, out of memory in about 2 h.',
  );
});
