/**
 * Figure 4, replay throughput: a five-hour MegaETH-like timeline (1 s blocks, two endpoints
 * polled every second, a 3 h 11 min halt in the middle) through `Replayer`, in simulated time;
 * median of five runs. Reference: the timeline's own pace in real time (lines per second of
 * the five hours), so the ratio reads "times faster than real time".
 * Part of `npm run bench`; alone: npx tsx bench/replay.ts
 */
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { Replayer } from '../src/replay/replayer';
import { figure, QUICK, type Figure } from './lib';

const hash = (n: number) => `0x${createHash('sha256').update(String(n)).digest('hex')}`;

/** Five hours of timeline (the halt in it lasts three). */
export const TIMELINE_MS = 5 * 3600_000;

export function threeHourTimeline(): string[] {
  const start = Date.parse('2025-03-07T11:00:00Z');
  const halt = Date.parse('2025-03-07T12:03:01Z');
  const resume = Date.parse('2025-03-07T15:14:40Z');
  const end = start + TIMELINE_MS;
  const lines = [JSON.stringify({ type: 'network', name: 'megaeth', blockTimeMs: 1000, endpoints: ['rpc-a', 'rpc-b'] })];
  for (let t = start; t < end; t += 1000) {
    const n = 1_000_000 + Math.floor((Math.min(t, halt) - start) / 1000) + Math.max(0, Math.floor((t - resume) / 1000));
    const ts = Math.floor((t >= halt && t < resume ? halt : t) / 1000);
    for (const endpoint of ['rpc-a', 'rpc-b']) {
      lines.push(
        JSON.stringify({
          t: new Date(t).toISOString(),
          type: 'head',
          network: 'megaeth',
          endpoint,
          number: n,
          hash: hash(n),
          parentHash: hash(n - 1),
          timestamp: ts,
        }),
      );
    }
  }
  return lines;
}

export function replayThroughput(): Figure[] {
  const lines = threeHourTimeline();
  const runs: number[] = [];
  let incidents = 0;
  const rounds = QUICK ? 3 : 5;
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const r = new Replayer();
    for (const l of lines) r.push(l);
    incidents = r.finish().length;
    runs.push(performance.now() - t0);
  }
  runs.sort((a, b) => a - b);
  const median = runs[Math.floor(rounds / 2)]!;
  const perSecond = Math.round(lines.length / (median / 1000));
  const realTime = lines.length / (TIMELINE_MS / 1000);
  return [
    figure(
      'replay_lines_per_s',
      perSecond,
      'lines/s',
      { name: 'timeline_real_time_pace', value: realTime, unit: 'lines/s' },
      {
        lines: lines.length,
        timelineHours: TIMELINE_MS / 3600_000,
        medianMs: Math.round(median),
        runs: rounds,
        incidents,
        heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
        note: `${lines.length.toLocaleString('en')} lines (5 h) in ${Math.round(median)} ms, median of ${rounds}; ratio = times faster than real time`,
      },
    ),
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const f of replayThroughput()) console.log(JSON.stringify(f));
}
