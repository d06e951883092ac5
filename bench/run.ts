/**
 * `npm run bench`: chainwatch's benchmark suite. Each figure is measured side by side, in the
 * same run, with what it is compared with, and reported as an absolute value and a ratio.
 *
 *   halt      halt detection latency on a real anvil, to the incident and to (fake) Discord
 *   learnt    learnt stall vs the fixed default vs the floor on anvil; throughput drop → incident; state size (bench/learnt.ts)
 *   scale     networks × 3 endpoints held at 1 s polls by one worker process
 *   social    posts/s through ingest → classifier → correlator, next to bare BullMQ
 *   replay    timeline lines/s, next to the timeline's real-time pace
 *   soak      memory over 1M head samples and 1M posts: growth from 10% to 100%
 *   redis     polls/s on one Redis and on a local Cluster, WAIT's cost, failover (bench/redis-topology.ts)
 *   history   Redis bytes per network after 7 h of 1 s heads at the real poll interval (bench/history-soak.ts)
 *   memory    RSS of an idle `start` with the example config: bundled, tsx, before; per 100 networks (bench/process-memory.ts)
 *   classifier, discord, image  the standalone benches (bench/<name>.ts), folded in
 *
 * Output: one JSON object per figure per line on stdout and in bench/results.jsonl, a table on
 * stderr, and BENCHMARKS.md. `--quick` (or BENCH_QUICK=1) runs a small workload in under a
 * minute, skips the classifier and Discord benches, and writes bench/out/ instead.
 * `--only halt,soak` runs some figures; `--render` rewrites BENCHMARKS.md from bench/results.jsonl. Keys live under a random `cwbench-…` prefix on
 * REDIS_URL (default 127.0.0.1:6379) and are deleted at the end, also on error or Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { HISTORY_BOUNDS } from '../src/model';
import { BOUNDS } from '../src/store/bounds';
import { CANON_MAX, ORPHANS_MAX, TIMING_MAX } from '../src/engine/detectors/state';
import { BUCKETS_MAX, QUOTED_MAX, REPORTS_MAX } from '../src/engine/social-evidence';
import { haltLatency } from './halt';
import { learntFigures } from './learnt';
import {
  abort,
  deleteBenchKeys,
  figure,
  onAbort,
  PREFIX,
  progress,
  QUICK,
  redisVersion,
  round,
  stopAll,
  warnings,
  type Figure,
} from './lib';
import { redisTopologyFigures, redisTopologyMarkdown } from './redis-topology';
import { replayThroughput } from './replay';
import { chainScale } from './scale';
import { socialThroughput } from './social';
import { memorySoak } from './soak';
import { historySoak } from './history-soak';
import { processMemory, START_FLAGS } from './process-memory';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HARD_LIMIT_MS = QUICK ? 180_000 : 45 * 60_000;
const CHILD_LIMIT_MS = 240_000;
/** What a child bench may print before it is cut off. */
const CHILD_OUTPUT_MAX = 1_000_000;

const onlyArg = process.argv.indexOf('--only');
const ONLY = onlyArg > 0 ? new Set(process.argv[onlyArg + 1]!.split(',')) : null;

/** Runs one of the older standalone benches and returns its JSON lines. */
function runChild(script: string): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    // Under this run's prefix, so the keys a child leaves (killed on abort) are deleted with ours.
    const env = { ...process.env, CWBENCH_PREFIX: `${PREFIX}-child` };
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env });
    const unregister = onAbort(async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_LIMIT_MS);
    const kill = () => child.kill('SIGKILL');
    process.once('exit', kill);
    child.stdout.on('data', (c: Buffer) => {
      if (out.length < CHILD_OUTPUT_MAX) out += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      err = (err + c.toString('utf8')).slice(-4000);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      unregister();
      process.off('exit', kill);
      if (code !== 0) return reject(new Error(`${script} exited ${signal ?? code}: ${err.trim().slice(-1000)}`));
      resolve(
        out
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as Record<string, unknown>),
      );
    });
  });
}

async function classifierFigures(socialPostsPerSec: number | undefined): Promise<Figure[]> {
  const lines = await runChild('bench/classifier.ts');
  const find = (name: string, set: string, mode = 'lang-given') =>
    lines.find((l) => l.name === name && l.set === set && l.lang === 'all' && l.mode === mode);
  const out: Figure[] = [];
  for (const name of ['classifier_precision', 'classifier_recall']) {
    const held = find(name, 'holdout');
    const train = find(name, 'train');
    if (held && train) {
      out.push(
        figure(
          `${name}_holdout`,
          held.value as number,
          'ratio',
          { name: `${name}_train`, value: train.value as number, unit: 'ratio' },
          {
            note: 'held-out examples (never tuned on), next to the training set the lexicons were tuned against',
          },
        ),
      );
    }
  }
  const tp = lines.find((l) => l.name === 'classifier_throughput');
  if (tp) {
    out.push(
      figure(
        'classifier_posts_per_s',
        tp.value as number,
        'posts/s',
        { name: 'social_ingest_posts_per_s', value: socialPostsPerSec ?? NaN, unit: 'posts/s' },
        {
          posts: tp.posts,
          note: 'classifier alone on one core, next to the whole ingest pipeline of this run',
        },
      ),
    );
  }
  return out;
}

async function discordFigures(): Promise<Figure[]> {
  const lines = await runChild('bench/discord.ts');
  const out: Figure[] = [];
  const ev = lines.find((l) => l.name === 'discord_event_to_message_ms') as Record<string, any> | undefined;
  if (ev) {
    out.push(
      figure(
        'discord_event_to_message_ms',
        ev.median,
        'ms',
        { name: 'bullmq_empty_job_ms', value: ev.compare.median, unit: 'ms' },
        {
          p95: ev.p95,
          max: ev.max,
          count: ev.count,
          unmatched: ev.unmatched,
          duplicatePosts: ev.duplicatePosts,
          note: `IncidentEvent committed → message at fake Discord; p95 ${ev.p95} ms over ${ev.count} events`,
        },
      ),
    );
  }
  const st = lines.find((l) => l.name === 'discord_status_reply_ms') as Record<string, any> | undefined;
  if (st) {
    out.push(
      figure(
        'discord_status_reply_ms',
        st.median,
        'ms',
        { name: 'discord_interaction_deadline_ms', value: st.deferDeadlineMs, unit: 'ms' },
        {
          p95: st.p95,
          max: st.max,
          count: st.count,
          networks: st.networks,
          deferP95: st.defer?.p95,
          note: `/status with ${st.networks} networks; p95 ${st.p95} ms; deferral p95 ${st.defer?.p95} ms`,
        },
      ),
    );
  }
  return out;
}

/** bench/image.ts (the incident picture), next to this run's halt → Discord message latency. */
async function imageFigures(haltToDiscordMs: number | undefined): Promise<Figure[]> {
  const lines = await runChild('bench/image.ts');
  const total = lines.find((l) => l.figure === 'image_total_ms');
  if (!total) return [];
  return [
    figure(
      'image_render_ms',
      total.median as number,
      'ms',
      { name: 'halt_to_discord_message_ms', value: haltToDiscordMs ?? NaN, unit: 'ms' },
      {
        p95: total.p95,
        intervals: total.intervals,
        pngBytes: total.pngBytes,
        note: `incident picture (SVG + PNG) of a ${total.intervals}-interval halt; p95 ${total.p95} ms`,
      },
    ),
  ];
}

// ---------------------------------------------------------------------------------------------

function fmt(v: number, unit: string): string {
  if (!Number.isFinite(v)) return 'n/a';
  const digits = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : Math.abs(v) >= 1 ? 2 : 3;
  return `${v.toLocaleString('en', { maximumFractionDigits: digits })} ${unit}`;
}

function fmtRatio(r: number): string {
  if (!Number.isFinite(r)) return 'n/a';
  return Math.abs(r) >= 100 ? Math.round(r).toLocaleString('en') : String(r);
}

function tableRows(figures: Figure[]): string[][] {
  return figures.map((f) => [
    f.name,
    fmt(f.value, f.unit),
    `${f.reference.name}: ${fmt(f.reference.value, f.reference.unit)}`,
    fmtRatio(f.ratio),
    f.note ?? String(f.error ?? ''),
  ]);
}

function textTable(figures: Figure[]): string {
  const head = ['figure', 'value', 'reference', 'ratio', 'notes'];
  const rows = [head, ...tableRows(figures)];
  const w = head.map((_, i) => Math.max(...rows.map((r) => (i === 4 ? 0 : r[i]!.length))));
  return rows.map((r) => r.map((c, i) => (i === 4 ? c : c.padEnd(w[i]!))).join('  ')).join('\n');
}

function markdownTable(figures: Figure[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    '| figure | value | reference | ratio | notes |',
    '| --- | ---: | --- | ---: | --- |',
    ...tableRows(figures).map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

function byName(figures: Figure[], name: string): Figure | undefined {
  return figures.find((f) => f.name === name);
}

function markdown(figures: Figure[], meta: Record<string, string | number>): string {
  const halt = byName(figures, 'halt_to_incident_opened_ms');
  const haltD = byName(figures, 'halt_to_discord_message_ms');
  const scale = byName(figures, 'chain_networks_held') as (Figure & { steps?: any[] }) | undefined;
  const social = byName(figures, 'social_ingest_posts_per_s');
  const replay = byName(figures, 'replay_lines_per_s');
  const rss = byName(figures, 'soak_rss_growth_mib') as (Figure & { series?: any[] }) | undefined;
  const heap = byName(figures, 'soak_heap_growth_mib');
  const keys = byName(figures, 'soak_redis_keys_growth_mib');
  const used = byName(figures, 'soak_redis_used_memory_growth_mib');
  const out: string[] = [];
  out.push('# Benchmarks', '');
  out.push(
    `Written by \`${meta.command}\` (bench/run.ts) on ${meta.date}. Every figure below was measured in this one run, side by side with its reference; the ratio is value ÷ reference. The machine-readable form is \`bench/results.jsonl\` (one JSON object per figure).`,
    '',
  );
  out.push('| machine | |', '| --- | --- |');
  out.push(
    `| CPU | ${meta.cpu} × ${meta.cores} |`,
    `| RAM | ${meta.ramGiB} GiB |`,
    `| OS | ${meta.os} |`,
    `| Node | ${meta.node} |`,
    `| Redis | ${meta.redis} (${meta.redisUrl}) |`,
    `| load average at start | ${meta.load} |`,
    '',
  );
  if (meta.quick) out.push('**Quick mode**: a small workload to check the suite runs; not the figures to quote.', '');
  out.push('## Results', '', markdownTable(figures), '');
  out.push('## What each figure measures', '');
  if (halt || haltD) {
    out.push('### Halt detection latency', '');
    out.push(
      `A real anvil mining a block every second, watched by one chainwatch (\`--role all\`: scheduler, workers, bot) with stall threshold ${halt?.stallMs} ms and poll interval ${halt?.pollIntervalMs} ms, publishing with the real discord.js REST client to the local fake Discord API (test/support/fake-discord). The chain is halted ${halt?.halts} times at random moments (\`evm_setIntervalMining [0]\`), resumed once the incident is open, and the incident resolves (resolveAfter ${halt?.resolveAfterMs} ms) before the next halt. Measured from the last block (first seen by the bench, which asks anvil every 20 ms) to the \`opened\` IncidentEvent's commit time and to the root message's arrival at the fake Discord. The head counts as stalled once it has not changed for longer than the stall threshold since the poll that first saw the last block (0–1 poll interval after the block), and that is noticed at the next poll (0–1 interval later): the latency lies between the stall threshold and the threshold plus two poll intervals, centred on the reference, stall threshold + one poll interval, plus what a poll, the commit and (for Discord) the publish job take. Memory: the run is one long-lived pipeline; detector state per network is capped (canonical blocks ≤ ${CANON_MAX}, orphans ≤ ${ORPHANS_MAX}, timing points ≤ ${TIMING_MAX}), timelines ≤ ${BOUNDS.eventsPerIncident} events, incidents listed ≤ ${BOUNDS.incidentsPerNetwork} per network.`,
      '',
    );
    if (halt) out.push(`Opened: median ${halt.median} ms, p95 ${halt.p95} ms (${(halt.samples as number[]).join(', ')} ms).`, '');
    if (haltD) out.push(`Discord: median ${haltD.median} ms, p95 ${haltD.p95} ms.`, '');
  }
  if (scale) {
    out.push('### Scale of chain watching', '');
    out.push(
      `N networks × ${scale.endpointsPerNetwork} endpoints, each network polled every ${scale.intervalMs} ms by its BullMQ Job Scheduler (\`syncPollSchedulers\`), polled by one worker process at the default concurrency (${scale.workerConcurrency}) running the real chain-poll processor (viem HTTP clients, detectors and correlator in one Redis transaction per poll, head history) against a light JSON-RPC responder in a child process (one \`eth_getBlockByNumber("latest")\` per endpoint per poll, unbatched, as \`sampleHead\` sends it). Lag = poll committed − its scheduler slot (the slot's time is in the job id). N steps up until the p95 lag reaches one interval or fewer than 90% of due polls run, in two windows in a row (a step not held is measured once more, since the machine may be shared). CPU is the bench process (scheduler + worker) over the measured window, in cores; the responder's own CPU is beside it. More networks than this means more worker processes against the same Redis (DESIGN.md, principle 5). Memory is held by the client cache (one viem client per endpoint and timeout, sized to the config by \`reserveEndpointClients\`, at least 256, oldest dropped past it) and by the queue bounds (completed poll jobs: 50 kept).`,
      '',
    );
    const stop = (scale.steps ?? []).filter((s) => !s.held).at(-1);
    if (stop) {
      const why =
        stop.cpuCores >= 0.9
          ? "a Node process runs its JavaScript on one core, so past this point polls queue up behind the worker's CPU"
          : "well under one core, so the limit was elsewhere (Redis, or the machine's other load)";
      out.push(
        `At N=${stop.networks}, the first N not held, this process used ${stop.cpuCores} cores with one poll taking ${stop.pollMs?.median} ms (median): ${why}.`,
        '',
      );
    }
    out.push(
      '| N | try | polls / due | lag median | lag p95 | lag max | one poll (median) | CPU (cores) | responder CPU | RSS MiB | held |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    );
    for (const s of scale.steps ?? [])
      out.push(
        `| ${s.networks} | ${s.attempt} | ${s.polls} / ${s.due} | ${s.lagMs.median} ms | ${s.lagMs.p95} ms | ${s.lagMs.max} ms | ${s.pollMs.median} ms | ${s.cpuCores} | ${s.responderCpuCores ?? 'n/a'} | ${s.rssMiB} | ${s.held ? 'yes' : 'no'} |`,
      );
    out.push('');
  }
  if (social) {
    out.push('### Social pipeline throughput', '');
    out.push(
      `${Number(social.posts).toLocaleString('en')} posts in ${social.jobs} social-ingest jobs of ${social.postsPerJob} (the cap, MAX_POSTS_PER_JOB) through chainwatch \`--role worker\` on the real Redis and BullMQ: zod validation, the classifier, attribution to one of five networks, and one IncidentStore transaction per network a job touches (social evidence: ≤ ${REPORTS_MAX} in-window authors, ≤ ${QUOTED_MAX} quotable reports and ≤ ${BUCKETS_MAX} post-count buckets per network); social incidents open and are published to a counting sink. The posts are the labelled examples (11 languages, about half outage reports), each with its own id. Reference: BullMQ's bare add-and-process rate of ${Number(social.emptyJobs).toLocaleString('en')} empty jobs (same concurrency ${social.concurrency}, same Redis, same run). The ratio is posts/s per empty job/s; per job, the ingest runs at ${social.ingestJobsPerSec} jobs/s, ${round(Number(social.jobRateRatio) * 100, 1)}% of the bare rate.`,
      '',
    );
  }
  if (replay) {
    out.push('### Replay throughput', '');
    out.push(
      `\`Replayer\` over a ${replay.timelineHours}-hour MegaETH-like timeline (${Number(replay.lines).toLocaleString('en')} lines: 1 s blocks, two endpoints, a three-hour halt), in simulated time, median of ${replay.runs} runs. Reference: the timeline's own pace in real time, so the ratio is how many times faster than real time a recording replays. Memory: the replayer keeps one state per network (the same bounded detector state) and the incidents it prints; the first 100 bad lines are kept, not all.`,
      '',
    );
  }
  if (rss) {
    out.push('### Memory over time', '');
    out.push(
      `${Number(rss.samples).toLocaleString('en')} head samples (${rss.networks} networks × ${rss.endpointsPerNetwork} endpoints, ${rss.rounds} polls each) and ${Number(rss.posts).toLocaleString('en')} posts (${rss.rounds} × 2 jobs of 100) through the live processors on the real Redis in ${rss.wallS} s: the chain-poll processor (sampleHead, ancestry check, detectors + correlator in one transaction, head history) and the social-ingest processor, with incidents published through the real outbox, BullMQ queue and publish worker. One endpoint request in 200 fails. The clock is simulated: each round is one poll interval (${Number(rss.simStepMs) / 1000} s, also the block time) later, ${rss.simulatedHours} h in all, so every time window has filled before 10% of the run. Sampled every 5%: RSS and heapUsed${rss.gcBeforeSample ? ' (after a full GC)' : ''}, the MEMORY USAGE of this run's keys, and the Redis server's used_memory (shared with other users of that Redis, so it moves with them). Growth from 10% to 100% of the run is the least-squares line through the samples of that span, taken over the span: RSS moves by tens of MiB from one sample to the next as the allocator keeps and returns pages, so two single samples would say more about that than about a trend; the difference of the 10% and 100% samples is in the JSON (\`pointGrowth\`). Flat here means a fitted growth of at most 10%.`,
      '',
    );
    out.push(
      `What holds it flat: per network one state key whose detector memory is capped (canonical blocks ≤ ${CANON_MAX}, orphaned hashes ≤ ${ORPHANS_MAX}, timing points ≤ ${TIMING_MAX}, one record per endpoint) with social evidence ≤ ${REPORTS_MAX} authors, ≤ ${QUOTED_MAX} quotable reports and ≤ ${BUCKETS_MAX} post-count buckets, and ≤ ${BOUNDS.batchIds} applied batch ids (BOUNDS in src/queue/names.ts); head history ${HISTORY_BOUNDS.retentionMs / 3600_000} h by minute, points as seen for the last ${HISTORY_BOUNDS.rawMs / 60_000} minutes (≤ ${HISTORY_BOUNDS.minuteBytes.toLocaleString('en')} bytes a minute) and three intervals a minute before, report counts ≤ ${HISTORY_BOUNDS.reportMinutes} minutes (HISTORY_BOUNDS in src/model/history.ts); event stream ~${BOUNDS.eventStreamLength} per network, timelines ≤ ${BOUNDS.eventsPerIncident} events, incident index ≤ ${BOUNDS.incidentsPerNetwork} per network; BullMQ keeps 200 completed and 1,000 failed jobs per queue. Closed incidents and their timelines expire after ${BOUNDS.closedTtlSeconds / 86400} days of real time, so under a simulated clock they would pile up if incidents kept opening and closing (in production: at most the incidents of 30 days); this run opened ${rss.incidents} incidents in ${rss.simulatedHours} simulated hours.`,
      '',
    );
    const parts = [rss, heap, keys, used].filter((f): f is Figure => !!f).map((f) => `${f.note}`);
    out.push(`${parts.join('; ')}.`, '');
    // A second look that one low or high sample cannot move: the median of the second half of
    // the 10–100% samples against the median of the first half.
    const series = (rss.series ?? []).filter((m: { pct: number }) => m.pct >= 10);
    const med = (xs: number[]) => {
      const v = [...xs].sort((a, b) => a - b);
      const m = Math.floor(v.length / 2);
      return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
    };
    const halves = (field: string) => {
      const h = Math.floor(series.length / 2);
      const a = med(series.slice(0, h).map((m: Record<string, number>) => m[field]!));
      const b = med(series.slice(h).map((m: Record<string, number>) => m[field]!));
      return `${round(a, 3)} → ${round(b, 3)} MiB (${b >= a ? '+' : ''}${round((100 * (b - a)) / a, 1)}%)`;
    };
    if (series.length >= 4) {
      out.push(
        `Median of the second half of those samples against the first half: RSS ${halves('rssMiB')}, heapUsed ${halves('heapUsedMiB')}, heapTotal ${halves('heapTotalMiB')}, external ${halves('externalMiB')}, this run's keys ${halves('keysMiB')}. What V8 holds (heapUsed after a full GC, heapTotal) and what is outside it (external) stay flat; RSS moves with how the C allocator keeps and hands back pages; ${rss.series?.[0]?.rssMiB} MiB of it was there before the first poll (code, tsx, viem's table of chains, connections).`,
        '',
      );
    }
    out.push(
      "| % of run | samples | posts | wall s | RSS MiB | heapUsed MiB | heapTotal MiB | external MiB | run's keys MiB | keys | Redis used_memory MiB |",
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const m of rss.series ?? [])
      out.push(
        `| ${m.pct} | ${m.samples.toLocaleString('en')} | ${m.posts.toLocaleString('en')} | ${m.wallS} | ${m.rssMiB} | ${m.heapUsedMiB} | ${m.heapTotalMiB} | ${m.externalMiB} | ${m.keysMiB} | ${m.keys} | ${m.redisUsedMiB} |`,
      );
    out.push('');
  }
  out.push(...lighterSections(figures));
  const extras = figures.filter((f) => f.name.startsWith('classifier_') || f.name.startsWith('discord_') || f.name.startsWith('image_'));
  if (extras.length > 0) {
    out.push('### Classifier, Discord, incident picture', '');
    out.push(
      "From the standalone benches, run as part of the suite: `bench/classifier.ts` (precision and recall on the held-out examples next to the training set; throughput next to the whole ingest pipeline of this run), `bench/discord.ts` (an IncidentEvent committed → its message at the fake Discord API, next to BullMQ's bare empty-job latency; `/status` with 50 networks, next to Discord's 3 s interaction deadline), and `bench/image.ts` (the incident picture, SVG and PNG, of a three-hour halt, next to this run's halt → Discord message latency). Each also runs alone with `npx tsx bench/<name>.ts`.",
      '',
    );
  }
  out.push(...redisTopologyMarkdown(figures));
  out.push('## Running it', '');
  out.push(
    '```',
    'npm run bench                 # full suite, ~10 minutes; writes BENCHMARKS.md and bench/results.jsonl',
    'npm run bench -- --quick      # small workload (< 1 min) to check it runs; writes bench/out/',
    'npm run bench -- --only halt,soak',
    '```',
    '',
  );
  out.push(
    'Needs Redis at REDIS_URL (default redis://127.0.0.1:6379) and the dev dependencies (anvil comes from @foundry-rs/anvil). Keys live under a random `cwbench-…` prefix and are deleted at the end (SCAN + UNLINK, never FLUSHALL). The machine is shared while other work runs; figures move with its load.',
    '',
  );
  return out.join('\n');
}

/** The history soak and the process memory figures (bench/history-soak.ts, bench/process-memory.ts). */
function lighterSections(figures: Figure[]): string[] {
  const out: string[] = [];
  const redis = byName(figures, 'redis_kib_per_network') as (Figure & { series?: any[] }) | undefined;
  if (redis) {
    out.push('### Redis bytes per network', '');
    out.push(
      `${redis.networks} networks of ${redis.endpointsPerNetwork} endpoints, 1 s blocks, polled every ${Number(redis.stepMs) / 1000} s of simulated time (the real poll interval) for ${redis.hours} hours through the real chain-poll processor; one network halts for 20 minutes at 3 h. MEMORY USAGE of every key under each network's hash tag, every simulated hour. Reference: the head history as kept before (a sorted set of every head for 6 h), written from the same polls in the same run.`,
      '',
      '| hour | keys of a network (KiB) | of which head history | old head history (KiB) |',
      '| ---: | ---: | ---: | ---: |',
    );
    const kib = (b: number) => Math.round(b / 102.4) / 10;
    for (const h of redis.series ?? []) {
      const nets = Object.values(h.perNetwork as Record<string, Record<string, number>>);
      const all = nets.map((k) => Object.values(k).reduce((a, b) => a + b, 0));
      const hist = nets.map((k) => k[':history:minutes'] ?? 0);
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      out.push(`| ${h.hour} | ${kib(mean(all))} | ${kib(mean(hist))} | ${kib(mean(h.legacyBytes))} |`);
    }
    out.push('');
  }
  const rss = byName(figures, 'rss_idle_bundled_mib') as (Figure & { series?: any[] }) | undefined;
  if (rss) {
    out.push('### Resident memory of one process', '');
    out.push(
      `\`chainwatch start\` (all roles) with config/example.yaml, its endpoints pointed at a local JSON-RPC responder, every variant running at the same time. Idle RSS is the median of the second half of the sampling window (V8 lets the old generation grow between major collections); peak is VmHWM. \`${START_FLAGS.join(' ')}\` is what \`chainwatch start\` (bin/chainwatch.mjs's shebang), the Dockerfile and \`npm start\` run it with. "Before" is the bundle as built before: presets read from all of viem/chains at run time, every dependency loaded at start.`,
      '',
      '| process | networks | idle RSS MiB | peak MiB | samples MiB |',
      '| --- | ---: | ---: | ---: | --- |',
    );
    for (const v of rss.series ?? []) out.push(`| ${v.what} | ${v.networks} | ${v.idleMiB} | ${v.peakMiB} | ${v.samplesMiB.join(' ')} |`);
    out.push('');
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

/** `--render`: BENCHMARKS.md again from bench/results.jsonl and its .meta.json (after editing the text here). */
function render(): number {
  const figures = readFileSync(`${ROOT}bench/results.jsonl`, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Figure);
  const meta = JSON.parse(readFileSync(`${ROOT}bench/results.meta.json`, 'utf8')) as Record<string, string | number>;
  writeFileSync(`${ROOT}BENCHMARKS.md`, markdown(figures, meta));
  progress(`rendered ${ROOT}BENCHMARKS.md from bench/results.jsonl`);
  return 0;
}

async function main(): Promise<number> {
  if (process.argv.includes('--render')) return render();
  const started = new Date();
  const meta = {
    command: `npm run bench${QUICK || ONLY ? ' --' : ''}${QUICK ? ' --quick' : ''}${ONLY ? ` --only ${[...ONLY].join(',')}` : ''}`,
    date: started.toISOString().replace(/\.\d+Z$/, 'Z'),
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    ramGiB: round(os.totalmem() / 2 ** 30, 1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    redis: await redisVersion(),
    redisUrl: (process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\/[^@/]*@/, '//'),
    load: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
    quick: QUICK ? 1 : 0,
  };
  progress(`${meta.command}: prefix ${PREFIX}, ${meta.cpu} × ${meta.cores}, Node ${meta.node}, Redis ${meta.redis}`);
  const figures: Figure[] = [];
  let failed = 0;
  const runs: [string, () => Promise<Figure[]> | Figure[]][] = [
    ['replay', replayThroughput],
    ['halt', haltLatency],
    ['learnt', learntFigures],
    ['scale', chainScale],
    ['social', socialThroughput],
    ['soak', memorySoak],
    ['redis', redisTopologyFigures],
    ['history', historySoak],
    ['memory', processMemory],
    ...(QUICK
      ? []
      : ([
          ['classifier', () => classifierFigures(byName(figures, 'social_ingest_posts_per_s')?.value)],
          ['discord', discordFigures],
          ['image', () => imageFigures(byName(figures, 'halt_to_discord_message_ms')?.value)],
        ] as [string, () => Promise<Figure[]>][])),
  ];
  for (const [name, run] of runs) {
    if (ONLY && !ONLY.has(name)) continue;
    if (abort.signalled) break;
    const t0 = Date.now();
    progress(`${name}: starting`);
    try {
      for (const f of await run()) {
        figures.push(f);
        console.log(JSON.stringify(f));
      }
      progress(`${name}: done in ${Math.round((Date.now() - t0) / 1000)} s`);
    } catch (err) {
      failed++;
      const e = err as Error;
      progress(`${name}: FAILED: ${e.stack ?? e.message}`);
      const f = figure(`${name}_failed`, NaN, '', { name: 'none', value: NaN, unit: '' }, { error: e.message });
      figures.push(f);
      console.log(JSON.stringify(f));
    }
  }
  if (abort.signalled) return 130; // partial figures are not written over the last results
  process.stderr.write(`\n${textTable(figures)}\n`);
  if (warnings.count > 0)
    process.stderr.write(
      `chainwatch warnings during the run: ${warnings.count} (${[...warnings.byMsg].map(([m, n]) => `${m}: ${n}`).join('; ')})\n`,
    );

  const outDir = QUICK || ONLY ? fileURLToPath(new URL('./out/', import.meta.url)) : ROOT;
  const jsonl = QUICK || ONLY ? `${outDir}results.jsonl` : `${ROOT}bench/results.jsonl`;
  mkdirSync(outDir, { recursive: true });
  writeFileSync(jsonl, figures.map((f) => JSON.stringify(f)).join('\n') + '\n');
  writeFileSync(jsonl.replace(/\.jsonl$/, '.meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
  writeFileSync(`${outDir}BENCHMARKS.md`, markdown(figures, meta));
  progress(`wrote ${jsonl} and ${outDir}BENCHMARKS.md`);
  return failed === 0 ? 0 : 1;
}

let cleaning: Promise<void> | null = null;
/** Set by Ctrl-C / SIGTERM: resolves once the pipelines are stopped and the keys deleted. */
let aborted: Promise<void> | null = null;
const cleanup = () =>
  (cleaning ??= deleteBenchKeys().catch((err: Error) => progress(`could not delete keys under ${PREFIX}: ${err.message}`)));

// `on`, not `once`: src/chain/anvil.ts re-raises the signal (killing the process at once)
// when it finds no other listener, and a `once` listener is gone by the time it looks.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (aborted) return;
    progress(`${signal}: stopping, then deleting keys under ${PREFIX}`);
    abort.signalled = true;
    aborted = stopAll(10_000).then(cleanup);
    void aborted.finally(() => process.exit(130));
  });
}
const watchdog = setTimeout(() => {
  progress(`still running after ${HARD_LIMIT_MS / 60_000} min; giving up`);
  void cleanup().finally(() => process.exit(1));
}, HARD_LIMIT_MS);
watchdog.unref();

/** The end of the run, normal or not: after an abort, its own path deletes the keys and exits. */
async function finish(code: number): Promise<void> {
  if (aborted) return void (await aborted);
  await cleanup();
  process.exit(code);
}

main().then(finish, async (err: unknown) => {
  progress(`failed: ${(err as Error).stack ?? String(err)}`);
  await finish(1);
});
