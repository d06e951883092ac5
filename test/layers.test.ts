/**
 * The layers of DESIGN.md ("Layout"), held by one test: which area may import which, which
 * areas (and renderer files) are pure, and no import cycle between files or areas. An area is
 * `src/<folder>` (its subfolders included), `jobs` or `commands`. Type-only imports count: a
 * layer that names another's types depends on it as much as one that calls it.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '..');

/**
 * Bottom up: each area may import the areas listed (and itself). `app` and `cli` sit on top
 * and may import anything below them.
 */
const BELOW: Record<string, readonly string[]> = {
  'src/model': [],
  'src/util': [],
  'src/config': ['src/model', 'src/util'],
  'src/engine': ['src/model', 'src/util', 'src/config'],
  'src/social': ['src/model', 'src/util', 'src/config', 'src/engine'],
  'src/chain': ['src/model', 'src/util', 'src/config'],
  'src/telemetry': ['src/model', 'src/util', 'src/config'],
  'src/official': ['src/model', 'src/util', 'src/config'],
  'src/store': ['src/model', 'src/util', 'src/config'],
  'src/queue': ['src/model', 'src/util', 'src/config', 'src/engine', 'src/store'],
  'src/publish': ['src/model', 'src/util', 'src/config', 'src/engine'],
  'src/console': ['src/model', 'src/util', 'src/config', 'src/publish'],
  'src/discord': ['src/model', 'src/util', 'src/config', 'src/engine', 'src/store', 'src/queue', 'src/publish'],
  'src/x': ['src/model', 'src/util', 'src/config', 'src/engine', 'src/social', 'src/store', 'src/publish'],
  'src/http': ['src/model', 'src/util', 'src/config', 'src/engine', 'src/store', 'src/publish'],
  'src/replay': ['src/model', 'src/util', 'src/config', 'src/engine', 'src/social', 'src/official'],
  'src/devnet': ['src/util'],
  'src/demo': ['src/model', 'src/util', 'src/config', 'src/devnet'],
  jobs: [
    'src/model',
    'src/util',
    'src/config',
    'src/engine',
    'src/social',
    'src/chain',
    'src/telemetry',
    'src/official',
    'src/store',
    'src/queue',
    'src/publish',
    'src/discord',
    'src/x',
  ],
  commands: ['src/model', 'src/util', 'src/config', 'src/engine', 'src/store', 'src/discord'],
};
const TOP = ['src/app', 'src/cli'];

/** Whole areas that are pure: no Redis, network, file system, process or clock. */
const PURE_AREAS = ['src/model', 'src/engine', 'src/social'];

/** Pure files inside adapter areas: the renderers and decisions (DESIGN.md principle 1). */
const PURE_FILES = [
  'src/util/format.ts',
  'src/util/bytes.ts',
  'src/util/client-version.ts',
  'src/config/defaults.ts',
  'src/publish/delivery.ts',
  'src/publish/labels.ts',
  'src/publish/image/render-svg.ts',
  'src/publish/image/scale.ts',
  'src/publish/image/alt-text.ts',
  'src/console/render.ts',
  'src/discord/escape.ts',
  'src/discord/limits.ts',
  'src/discord/render.ts',
  'src/discord/render-buttons.ts',
  'src/discord/bot/render/common.ts',
  'src/discord/bot/render/errors.ts',
  'src/discord/bot/render/incidents.ts',
  'src/discord/bot/render/status.ts',
  'src/x/render.ts',
  'src/x/policy.ts',
  'src/x/query.ts',
  'src/x/budget.ts',
  'src/telemetry/memory-metrics.ts',
  'src/replay/format.ts',
  'src/replay/network.ts',
  'src/replay/replayer.ts',
  ...['model', 'chart', 'intervals', 'html', 'parts', 'pages', 'feeds', 'layout'].map((f) => `src/http/status/${f}.ts`),
];

/**
 * Packages that reach outside the process (or are the process); discord.js is judged below.
 * node:crypto's hashes are deterministic (the status page hashes its inline script for the
 * CSP); its random functions are caught with Math.random.
 */
const IMPURE_PACKAGE =
  /^(node:(?!crypto$)|fs$|net$|http$|https$|child_process$|ioredis|bullmq|pino|viem|twitter-api-v2|express|undici|@resvg\/|@bull-board\/|prom-client|ws$)/;
const IMPURE_CODE: [RegExp, string][] = [
  [/\bDate\.now\b|new Date\(\)|performance\.now/, 'reads the clock'],
  [/\bMath\.random\b|\brandom(Bytes|UUID|Int)\b|getRandomValues/, 'is random'],
  [/\bprocess\./, 'touches the process'],
  [/\b(setTimeout|setInterval|setImmediate)\(/, 'schedules work'],
  [/\bfetch\(/, 'uses the network'],
  [/\bimport\s*\(/, 'imports dynamically'],
  [/new (REST|Client|WebhookClient)\b/, 'builds a Discord client'],
];

/** The few exceptions, each with its reason. */
const EXCEPTIONS: Record<string, { allow: string[]; why: string }> = {
  'src/http/status/layout.ts': {
    allow: ['reads the clock', 'schedules work', 'uses the network'],
    why: 'the page\'s inline script (a string sent to browsers) refreshes itself and ticks "… ago" on the browser\'s clock',
  },
};

function walk(dir: string, out: string[] = []): string[] {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.ts$/.test(f) && !f.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const files = ['src', 'jobs', 'commands'].flatMap((top) => walk(join(ROOT, top)));
const rel = (f: string) => relative(ROOT, f);

function areaOf(file: string): string {
  const parts = rel(file).split('/');
  return parts[0] === 'src' ? `src/${parts[1]!.replace(/\.ts$/, '')}` : parts[0]!;
}

/** Every module specifier of a file, with the file it resolves to when relative. */
function importsOf(file: string): { spec: string; target: string | null }[] {
  const text = readFileSync(file, 'utf8');
  const out: { spec: string; target: string | null }[] = [];
  for (const m of text.matchAll(/(?:^|\s)(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*['"]([^'"]+)['"]/g)) {
    const spec = (m[1] ?? m[2])!;
    if (!spec.startsWith('.')) {
      out.push({ spec, target: null });
      continue;
    }
    const base = resolve(dirname(file), spec);
    const target = [`${base}.ts`, join(base, 'index.ts'), base].find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
    out.push({ spec, target });
  }
  return out;
}

const graph = new Map(files.map((f) => [f, importsOf(f)]));

test('every area is in the layer table', () => {
  const areas = new Set(files.map(areaOf));
  const unknown = [...areas].filter((a) => !(a in BELOW) && !TOP.includes(a));
  assert.deepEqual(unknown, [], 'add new areas to BELOW in test/layers.test.ts, at their layer');
  assert.ok(areas.has('src/engine') && areas.has('src/model') && areas.size >= 15, [...areas].join(', '));
});

test('imports only point down the layers (or sideways inside an area)', () => {
  const wrong: string[] = [];
  let checked = 0;
  for (const [file, imports] of graph) {
    const from = areaOf(file);
    if (TOP.includes(from)) continue;
    for (const { spec, target } of imports) {
      // Data files (classifier weights) belong to no layer.
      if (!target || !target.endsWith('.ts')) continue;
      checked++;
      const to = areaOf(target);
      if (to !== from && !BELOW[from]!.includes(to)) wrong.push(`${rel(file)} imports ${spec} (${to})`);
    }
  }
  assert.ok(checked > 300, `only ${checked} relative imports seen: the parser is broken`);
  assert.deepEqual(wrong, []);
});

test('every relative import resolves to a file', () => {
  const broken = [...graph].flatMap(([file, imports]) =>
    imports.filter((i) => i.spec.startsWith('.') && !i.target && !i.spec.endsWith('.json')).map((i) => `${rel(file)}: ${i.spec}`),
  );
  assert.deepEqual(broken, []);
});

function cycles(edges: Map<string, Set<string>>): string[][] {
  // Tarjan's strongly connected components; any component of two or more is a cycle.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of edges.keys()) if (!idx.has(v)) visit(v);
  return out;
}

test('no import cycle between files or between areas', () => {
  const fileEdges = new Map<string, Set<string>>();
  const areaEdges = new Map<string, Set<string>>();
  for (const [file, imports] of graph) {
    for (const { target } of imports) {
      if (!target || !graph.has(target)) continue;
      if (!fileEdges.has(file)) fileEdges.set(file, new Set());
      fileEdges.get(file)!.add(target);
      const [a, b] = [areaOf(file), areaOf(target)];
      if (a === b) continue;
      if (!areaEdges.has(a)) areaEdges.set(a, new Set());
      areaEdges.get(a)!.add(b);
    }
  }
  assert.ok(fileEdges.size > 100, 'the file graph is empty: the parser is broken');
  assert.deepEqual(
    cycles(fileEdges).map((c) => c.map(rel).join(' <-> ')),
    [],
  );
  assert.deepEqual(
    cycles(areaEdges).map((c) => c.join(' <-> ')),
    [],
  );
});

const pure = files.filter((f) => PURE_AREAS.includes(areaOf(f)) || PURE_FILES.includes(rel(f)));

test('the pure list names files that exist', () => {
  const missing = PURE_FILES.filter((f) => !existsSync(join(ROOT, f)));
  assert.deepEqual(missing, []);
  assert.ok(pure.length > 80, `${pure.length} pure files`);
});

for (const file of pure) {
  test(`${rel(file)} does no I/O and reads no clock`, () => {
    const source = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    for (const { spec } of graph.get(file)!) {
      assert.doesNotMatch(spec, IMPURE_PACKAGE, `imports ${spec}`);
      // discord.js: its pure helpers (escapeMarkdown, time, enums) only; clients are caught below.
    }
    const allowed = EXCEPTIONS[rel(file)]?.allow ?? [];
    for (const [re, what] of IMPURE_CODE) if (!allowed.includes(what)) assert.doesNotMatch(source, re, `${rel(file)} ${what}`);
  });
}
