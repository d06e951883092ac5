/**
 * Resident memory of one idle `chainwatch start` (all roles) with the example config, all at
 * once, side by side: the bundle as `chainwatch start` runs it after `npm ci` (fresh, with the V8
 * flags of START_FLAGS), the same bundle with V8's defaults (`node bin/chainwatch.mjs start`),
 * the sources through tsx, and the bundle as it was built before (presets read from all of
 * viem/chains at run time, every dependency external and loaded at start). Then the bundle with
 * 100 and 200 more networks, for the RSS added per 100 networks.
 *
 * The example config as shipped, except that every endpoint points at a local JSON-RPC
 * responder (bench/rpc-responder.ts: 1 s blocks, chain id 31337, so the presets' chain ids are
 * replaced by that one), the HTTP port is 0 and the key prefix is this run's. RSS is VmRSS from
 * /proc every 5 s; "idle" is the median of the second half of the window (V8 lets the old
 * generation grow between major collections, so RSS creeps before it settles), peak is VmHWM.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { parse, stringify } from 'yaml';
import { resolvePreset } from '../src/config';
import { abort, figure, onAbort, PREFIX, progress, QUICK, REDIS_URL, round, sleep, type Figure } from './lib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = `${ROOT}bench/out/rss/`;
const WARMUP_MS = QUICK ? 8000 : 30_000;
const WINDOW_MS = QUICK ? 12_000 : 120_000;
const SAMPLE_MS = 5000;
const EXTRA = [100, 200];
/** What bin/chainwatch.mjs (its shebang), the Dockerfile and `npm start` run `start` with (see bin/chainwatch.mjs for why). */
export const START_FLAGS = ['--max-semi-space-size=1', '--heap-growing-percent=10', '--v8-pool-size=1'];

interface Variant {
  name: string;
  what: string;
  argv: string[];
  env: Record<string, string>;
  networks: number;
}

interface Measured extends Variant {
  idleMiB: number;
  peakMiB: number;
  samplesMiB: number[];
  exit: string;
}

const kib = (status: string, field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);

async function startResponder(): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(`${ROOT}bench/rpc-responder.ts`, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('rpc responder did not start within 20 s')), 20_000);
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out = (out + c.toString('utf8')).slice(-200);
      const m = /PORT (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`rpc responder exited (${code})`)));
  });
  return { child, port };
}

/** config/example.yaml pointed at the responder, plus `extra` networks like MegaETH's (1 s, three endpoints). */
function writeConfig(name: string, port: number, extra: number): string {
  const doc = parse(readFileSync(`${ROOT}config/example.yaml`, 'utf8')) as Record<string, any>;
  doc.redis = { url: REDIS_URL, prefix: `${PREFIX}-rss-${name}` };
  doc.http = { ...doc.http, port: 0 };
  doc.networks = (doc.networks as Record<string, any>[]).map((n) => {
    const preset = resolvePreset(n.chain)!;
    const { chain: _chain, ...rest } = n;
    return {
      ...rest,
      displayName: preset.displayName,
      chainId: 31337,
      blockTime: preset.blockTimeMs,
      endpoints: (n.endpoints as { label: string }[]).map((e) => ({
        label: e.label,
        url: `http://127.0.0.1:${port}/${n.name}/${e.label}`,
      })),
    };
  });
  for (let i = 1; i <= extra; i++) {
    const endpoints = ['a', 'b', 'c'].map((e) => ({ label: `rpc-${e}`, url: `http://127.0.0.1:${port}/net-${i}/${e}` }));
    doc.networks.push({ name: `net-${i}`, displayName: `Net ${i}`, chainId: 31337, blockTime: 1000, endpoints });
  }
  const file = `${OUT}${name}.yaml`;
  writeFileSync(file, stringify(doc));
  return file;
}

/** The bundle as built before the generated chain table: src/config/chains.ts read from viem/chains at run time. */
async function buildBefore(): Promise<void> {
  const fromViem = `import * as chains from 'viem/chains';
export const CHAINS_FROM_VIEM_VERSION = 'viem/chains at run time';
export const CHAIN_ROWS = Object.entries(chains)
  .filter(([, c]) => typeof c === 'object' && c !== null && typeof c.id === 'number' && c.rpcUrls)
  .map(([name, c]) => [name, c.id, c.name, c.blockTime ?? null, c.rpcUrls.default?.http ?? [], c.blockExplorers?.default?.url ?? null]);`;
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['src/cli/main.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: `${OUT}before/cli.mjs`,
    logLevel: 'error',
    plugins: [
      {
        name: 'viem-chains',
        setup: (b) => void b.onLoad({ filter: /src[\\/]config[\\/]chains\.ts$/ }, () => ({ contents: fromViem, loader: 'js' })),
      },
    ],
  });
}

function run(cmd: string[], cwd = ROOT): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cmd, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => void (err = (err + c.toString('utf8')).slice(-2000)));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd.join(' ')} exited ${code}: ${err}`))));
  });
}

/** Starts one variant, samples its RSS through the window, stops it. */
async function measure(v: Variant): Promise<Measured> {
  const child = spawn(process.execPath, v.argv, { cwd: ROOT, env: { ...process.env, ...v.env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => void (err = (err + c.toString('utf8')).slice(-2000)));
  let exited: string | null = null;
  child.once('exit', (code, signal) => void (exited = String(signal ?? code)));
  const stop = async () => {
    if (exited === null) child.kill('SIGTERM');
    const deadline = Date.now() + 15_000;
    while (exited === null && Date.now() < deadline) await sleep(100);
    if (exited === null) child.kill('SIGKILL');
  };
  const unregister = onAbort(stop);
  const samples: number[] = [];
  let status = '';
  try {
    await sleep(WARMUP_MS);
    for (let t = 0; t < WINDOW_MS && !abort.signalled; t += SAMPLE_MS) {
      if (exited !== null) throw new Error(`${v.name}: chainwatch exited (${exited}): ${err.trim().slice(-500)}`);
      status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      samples.push(round(kib(status, 'VmRSS') / 1024, 1));
      await sleep(SAMPLE_MS);
    }
  } finally {
    await stop();
    unregister();
  }
  const late = samples.slice(Math.floor(samples.length / 2)).sort((a, b) => a - b);
  const idleMiB = late[Math.floor(late.length / 2)] ?? NaN;
  return { ...v, idleMiB, peakMiB: round(kib(status, 'VmHWM') / 1024, 1), samplesMiB: samples, exit: exited ?? 'running' };
}

export async function processMemory(): Promise<Figure[]> {
  mkdirSync(OUT, { recursive: true });
  await run(['scripts/bundle.mjs', '--outdir', 'bench/out/rss/now']);
  await buildBefore();
  writeFileSync(
    `${OUT}run.mjs`,
    `const { main } = await import(process.env.CW_BUNDLE);\nprocess.exitCode = await main(process.argv.slice(2));\n`,
  );
  const { child: responder, port } = await startResponder();
  try {
    const example = writeConfig('example', port, 0);
    const bundle = (dir: string) => ({ CW_BUNDLE: new URL(`${dir}/cli.mjs`, `file://${OUT}`).href });
    const start = (config: string) => [`${OUT}run.mjs`, 'start', '--config', config];
    // `bundled` is what `chainwatch start` runs after `npm ci` (the fresh bundle, with the V8 flags of
    // bin/chainwatch.mjs's shebang, the Dockerfile and `npm start`); the others without the flags.
    const variants: Variant[] = [
      {
        name: 'bundled',
        what: `the bundle, ${START_FLAGS.join(' ')}`,
        argv: [...START_FLAGS, ...start(example)],
        env: bundle('now'),
        networks: 5,
      },
      { name: 'bundled_default_v8', what: "the bundle, V8's default heap flags", argv: start(example), env: bundle('now'), networks: 5 },
      {
        name: 'tsx',
        what: "the sources through tsx, V8's default heap flags",
        argv: ['bin/chainwatch.mjs', 'start', '--config', example],
        env: { CHAINWATCH_BUNDLE: '0' },
        networks: 5,
      },
      {
        name: 'before',
        what: "the bundle as built before (viem/chains at run time, every dependency loaded at start), V8's default heap flags",
        argv: start(writeConfig('before', port, 0)),
        env: bundle('before'),
        networks: 5,
      },
      ...EXTRA.map((n) => ({
        name: `bundled_plus_${n}`,
        what: `the bundle, ${START_FLAGS.join(' ')}, ${n} more networks`,
        argv: [...START_FLAGS, ...start(writeConfig(`plus-${n}`, port, n))],
        env: bundle('now'),
        networks: 5 + n,
      })),
    ];
    progress(`process memory: ${variants.length} processes side by side, ${(WARMUP_MS + WINDOW_MS) / 1000} s each`);
    const m = await Promise.all(variants.map(measure));
    return figures(m);
  } finally {
    responder.kill('SIGTERM');
  }
}

function figures(m: Measured[]): Figure[] {
  const by = (name: string) => m.find((x) => x.name === name)!;
  const series = m.map(({ name, what, networks, idleMiB, peakMiB, samplesMiB }) => ({
    name,
    what,
    networks,
    idleMiB,
    peakMiB,
    samplesMiB,
  }));
  const line = (x: Measured) => `${x.what}: ${x.idleMiB} MiB idle, ${x.peakMiB} MiB peak`;
  // Least squares over the example and the two larger configs, per 100 networks.
  const pts = [by('bundled'), ...EXTRA.map((n) => by(`bundled_plus_${n}`))].map((x) => [x.networks, x.idleMiB] as const);
  const mx = pts.reduce((a, [x]) => a + x, 0) / pts.length;
  const my = pts.reduce((a, [, y]) => a + y, 0) / pts.length;
  const slope = pts.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / pts.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  const before = by('before');
  const ref = { name: 'rss_idle_before_mib', value: before.idleMiB, unit: 'MiB' };
  const windowS = WINDOW_MS / 1000;
  return [
    figure('rss_idle_bundled_mib', by('bundled').idleMiB, 'MiB', ref, {
      series,
      note: `${line(by('bundled'))}; ${line(before)}; idle = median of the last ${windowS / 2} s of ${windowS} s`,
    }),
    figure('rss_idle_bundled_default_v8_mib', by('bundled_default_v8').idleMiB, 'MiB', ref, { note: line(by('bundled_default_v8')) }),
    figure('rss_idle_tsx_mib', by('tsx').idleMiB, 'MiB', ref, { note: line(by('tsx')) }),
    figure(
      'rss_per_100_networks_mib',
      round(slope * 100, 1),
      'MiB',
      { name: 'rss_idle_bundled_mib', value: by('bundled').idleMiB, unit: 'MiB' },
      {
        note: `least squares over ${pts.map(([n, r]) => `${n} networks ${r} MiB`).join(', ')} (three endpoints each, 1 s polls)`,
      },
    ),
  ];
}
