import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { test } from 'node:test';
import { boundedLines, defaultNetworkTerms, MAX_LINE_CHARS, runClassify } from '../../src/cli/classify';
import { UsageError } from '../../src/cli/errors';

const NETWORKS = defaultNetworkTerms([
  { name: 'megaeth', displayName: 'MegaETH' },
  { name: 'base', displayName: 'Base' },
]);

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  });
  return { stream, text: () => chunks.join('') };
}

async function run(input: string | Readable, argv: string[] = []) {
  const out = sink();
  const err = sink();
  const code = await runClassify(argv, NETWORKS, {
    input: typeof input === 'string' ? Readable.from([input]) : input,
    output: out.stream,
    error: err.stream,
  });
  const lines = out
    .text()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code, lines, stderr: err.text() };
}

test('adds outage, score, network and lang to each post and keeps its other fields, in order', async () => {
  const posts = [
    { source: 'x', id: '1', author: 'alice', text: 'megaeth rpc down?', lang: 'en', createdAt: 1 },
    { source: 'discord', id: '2', author: 'bob', text: 'ETH down 8% lol' },
    { text: 'Base 链挂了' },
  ];
  const { code, lines, stderr } = await run(posts.map((p) => JSON.stringify(p)).join('\n'));
  assert.equal(code, 0, stderr);
  assert.equal(lines.length, 3);
  assert.deepEqual(lines[0], { ...posts[0], outage: true, score: lines[0]!.score, network: 'megaeth', lang: 'en' });
  assert.equal(typeof lines[0]!.score, 'number');
  assert.deepEqual([lines[1]!.outage, lines[1]!.network, lines[1]!.lang], [false, null, 'en']);
  assert.deepEqual([lines[2]!.outage, lines[2]!.network, lines[2]!.lang], [true, 'base', 'zh']);
  assert.match(stderr, /classified 3 post\(s\), 2 outage report\(s\), 0 bad line\(s\)/);
});

test('a tag that names no language is replaced by the detected one; a real tag is kept', async () => {
  const { lines } = await run(
    [
      { text: 'MegaETHが落ちてる', lang: 'und' },
      { text: 'a Base caiu?', lang: 'pt-BR' },
      { text: 'Base è giù?', lang: 'it' },
    ]
      .map((p) => JSON.stringify(p))
      .join('\n'),
  );
  assert.deepEqual(
    lines.map((l) => l.lang),
    ['ja', 'pt-BR', 'it'],
  );
});

test("a post's network is kept unless the text names another configured network", async () => {
  const { lines } = await run(
    [
      { text: 'rpc down', network: 'megaeth' },
      { text: 'Base sequencer down', network: 'megaeth' },
    ]
      .map((p) => JSON.stringify(p))
      .join('\n'),
  );
  assert.deepEqual(
    lines.map((l) => l.network),
    ['megaeth', 'base'],
  );
});

test('bad lines are named by number on stderr, the rest still classified, exit 1', async () => {
  const input = [
    '{"text":"megaeth halted"}',
    '{oops',
    '',
    '[1,2]',
    '{"text":5}',
    '{"text":"x","lang":3}',
    'null',
    '{"text":"base is down"}\r',
  ].join('\n');
  const { code, lines, stderr } = await run(input);
  assert.equal(code, 1);
  assert.equal(lines.length, 2);
  assert.match(stderr, /^line 2: not JSON/m);
  assert.match(stderr, /^line 4: not a JSON object$/m);
  assert.match(stderr, /^line 5: "text" must be a string$/m);
  assert.match(stderr, /^line 6: "lang" must be a string$/m);
  assert.match(stderr, /^line 7: not a JSON object$/m);
  assert.doesNotMatch(stderr, /line 3:/, 'blank lines are skipped silently');
  assert.match(stderr, /5 bad line\(s\)/);
});

test('--outages-only keeps only reports; --reasons adds the labels', async () => {
  const input = ['{"text":"megaeth halted"}', '{"text":"gm"}'].join('\n');
  const { lines } = await run(input, ['--outages-only', '--reasons']);
  assert.equal(lines.length, 1);
  assert.ok(Array.isArray(lines[0]!.reasons) && (lines[0]!.reasons as string[]).includes('en:halted'));
});

test('an unknown option is a usage error; --config (read by the caller) passes', async () => {
  await assert.rejects(run('', ['--bogus']), UsageError);
  assert.equal((await run('{"text":"gm"}', ['--config', 'x.yaml'])).code, 0);
});

test('an overlong line is reported without being held, and the next line is read', async () => {
  const huge = `{"text":"${'a'.repeat(MAX_LINE_CHARS + 10)}"}`;
  // Deliver the long line in pieces, as a pipe would.
  const pieces = [huge.slice(0, 300_000), huge.slice(300_000, 900_000), `${huge.slice(900_000)}\n{"text":"megaeth halted"}\n`];
  const { code, lines, stderr } = await run(Readable.from(pieces));
  assert.equal(code, 1);
  assert.match(stderr, /^line 1: longer than \d+ characters, skipped$/m);
  assert.equal(lines.length, 1);
  assert.equal(lines[0]!.network, 'megaeth');
});

test('line splitting: CRLF, a last line without newline, a character split across chunks', async () => {
  const bytes = Buffer.from('{"text":"一"}\r\n{"text":"二"}', 'utf8');
  const chunks = [bytes.subarray(0, 10), bytes.subarray(10)]; // splits "一" (3 bytes in UTF-8)
  const lines: string[] = [];
  for await (const { line } of boundedLines(Readable.from(chunks), 100)) lines.push(line);
  assert.deepEqual(lines, ['{"text":"一"}', '{"text":"二"}']);
});

test('waits for a slow reader instead of buffering all output', async () => {
  let written = 0;
  let maxBuffered = 0;
  const slow = new Writable({
    highWaterMark: 64,
    write(chunk, _enc, cb) {
      written++;
      setImmediate(cb);
    },
  });
  const input = Readable.from(
    (function* () {
      for (let i = 0; i < 2000; i++) yield `{"text":"megaeth rpc down ${i}"}\n`;
    })(),
  );
  const err = sink();
  const check = setInterval(() => (maxBuffered = Math.max(maxBuffered, slow.writableLength)), 0);
  const code = await runClassify([], NETWORKS, { input, output: slow, error: err.stream });
  clearInterval(check);
  assert.equal(code, 0);
  assert.equal(written, 2000);
  assert.ok(maxBuffered < 64 * 1024, `buffered ${maxBuffered} bytes`);
});
