/**
 * Replay throughput: a three-hour MegaETH-like timeline (1 s blocks, two endpoints polled
 * every second, a 3 h 11 min halt in the middle) through `Replayer`, in simulated time.
 * Prints one JSON object per figure. Run: npx tsx bench/replay.ts
 */
import { createHash } from 'node:crypto';
import { Replayer } from '../src/replay/replayer';

const hash = (n: number) => `0x${createHash('sha256').update(String(n)).digest('hex')}`;

export function threeHourTimeline(): string[] {
  const start = Date.parse('2025-03-07T11:00:00Z');
  const halt = Date.parse('2025-03-07T12:03:01Z');
  const resume = Date.parse('2025-03-07T15:14:40Z');
  const end = start + 5 * 3600_000;
  const lines = [JSON.stringify({ type: 'network', name: 'megaeth', blockTimeMs: 1000, endpoints: ['rpc-a', 'rpc-b'] })];
  for (let t = start; t < end; t += 1000) {
    const n = 1_000_000 + Math.floor((Math.min(t, halt) - start) / 1000) + Math.max(0, Math.floor((t - resume) / 1000));
    const ts = Math.floor((t >= halt && t < resume ? halt : t) / 1000);
    for (const endpoint of ['rpc-a', 'rpc-b']) {
      lines.push(JSON.stringify({ t: new Date(t).toISOString(), type: 'head', network: 'megaeth', endpoint, number: n, hash: hash(n), parentHash: hash(n - 1), timestamp: ts }));
    }
  }
  return lines;
}

const lines = threeHourTimeline();
const runs: number[] = [];
let incidents = 0;
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  const r = new Replayer();
  for (const l of lines) r.push(l);
  incidents = r.finish().length;
  runs.push(performance.now() - t0);
}
runs.sort((a, b) => a - b);
const median = runs[2]!;
console.log(JSON.stringify({ name: 'replay_throughput', value: Math.round(lines.length / (median / 1000)), unit: 'lines/s', lines, medianMs: Math.round(median), incidents, heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20) }, (k, v) => (k === 'lines' ? lines.length : v)));
