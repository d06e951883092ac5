import { parseArgs } from 'node:util';
import type { Readable, Writable } from 'node:stream';
import { classifyPost, SUPPORTED_LANGS } from '../social/classify';
import type { NetworkTerms } from '../social/types';
import type { Post } from '../model';
import { UsageError } from './errors';

export { defaultNetworkTerms } from '../social/classifier/terms';

/**
 * A line longer than this is reported and skipped without being held in memory: a post is
 * at most a few kB, so memory stays bounded whatever arrives on stdin.
 */
export const MAX_LINE_CHARS = 1 << 20;

/** X's tags that name no language (undetermined, media only, hashtags only, …): replaced by the detected one. */
const NO_LANGUAGE = new Set(['', 'und', 'qme', 'qht', 'qam', 'qct', 'qst', 'zxx', 'art']);

export interface ClassifyIo {
  input: Readable;
  output: Writable;
  error: Writable;
}

/**
 * `chainwatch classify`: JSON Lines of Posts on stdin (only `text` is required) → the same
 * objects with `outage`, `score`, `network` and `lang` added, one per line, in order. A bad
 * line is named on stderr and skipped; the exit code is 1 if there was any.
 */
export async function runClassify(
  argv: string[],
  networks: NetworkTerms[],
  io: ClassifyIo = { input: process.stdin, output: process.stdout, error: process.stderr },
): Promise<number> {
  const values = parseOptions(argv);

  let lineNo = 0;
  let posts = 0;
  let outages = 0;
  let bad = 0;
  const started = process.hrtime.bigint();
  for await (const { line, tooLong } of boundedLines(io.input, MAX_LINE_CHARS)) {
    lineNo++;
    if (tooLong) {
      bad++;
      await write(io.error, `line ${lineNo}: longer than ${MAX_LINE_CHARS} characters, skipped\n`);
      continue;
    }
    if (line.trim().length === 0) continue;
    const parsed = parsePost(line);
    if (typeof parsed === 'string') {
      bad++;
      await write(io.error, `line ${lineNo}: ${parsed}\n`);
      continue;
    }
    const result = classifyPost(parsed as Pick<Post, 'text' | 'lang' | 'network'>, networks);
    posts++;
    if (result.outage) outages++;
    if (values['outages-only'] && !result.outage) continue;
    const given = typeof parsed.lang === 'string' ? parsed.lang : '';
    const out: Record<string, unknown> = {
      ...parsed,
      outage: result.outage,
      score: result.score,
      network: result.network,
      lang: NO_LANGUAGE.has(given.toLowerCase()) ? result.lang : given,
    };
    if (values.reasons) out.reasons = result.reasons;
    await write(io.output, `${JSON.stringify(out)}\n`);
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  await write(io.error, `classified ${posts} post(s), ${outages} outage report(s), ${bad} bad line(s) in ${ms.toFixed(1)} ms\n`);
  return bad > 0 ? 1 : 0;
}

function parseOptions(argv: string[]): { reasons: boolean; 'outages-only': boolean } {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        reasons: { type: 'boolean', default: false },
        'outages-only': { type: 'boolean', default: false },
        // Read by the caller (src/cli/main.ts) to build the network terms; accepted here so argv passes through.
        config: { type: 'string' },
      },
    }).values as { reasons: boolean; 'outages-only': boolean };
  } catch (err) {
    throw new UsageError(`classify: ${(err as Error).message}\n${CLASSIFY_USAGE}`);
  }
}

function parsePost(line: string): Record<string, unknown> | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return `not JSON (${(err as Error).message})`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const post = value as Record<string, unknown>;
  if (typeof post.text !== 'string') return '"text" must be a string';
  if (post.lang !== undefined && post.lang !== null && typeof post.lang !== 'string') return '"lang" must be a string';
  if (post.network !== undefined && post.network !== null && typeof post.network !== 'string') return '"network" must be a string';
  return post;
}

/** Writes with backpressure, so a slow reader of stdout does not make us buffer everything. */
function write(stream: Writable, chunk: string): Promise<void> | void {
  if (stream.write(chunk)) return;
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      stream.off('drain', done);
      stream.off('error', done);
      if (err) reject(err);
      else resolve();
    };
    stream.once('drain', done);
    stream.once('error', done);
  });
}

/**
 * Splits a stream into lines like readline does, but never holds more than `max` characters
 * of one line: the rest of an overlong line is dropped and the line reported as too long.
 */
export async function* boundedLines(input: Readable, max: number): AsyncGenerator<{ line: string; tooLong: boolean }> {
  input.setEncoding('utf8');
  let buf = '';
  let tooLong = false;
  for await (const chunk of input as AsyncIterable<string>) {
    let start = 0;
    let nl: number;
    while ((nl = chunk.indexOf('\n', start)) !== -1) {
      const piece = chunk.slice(start, nl);
      if (!tooLong && buf.length + piece.length > max) tooLong = true;
      const line = tooLong ? '' : (buf + piece).replace(/\r$/, '');
      yield { line, tooLong };
      buf = '';
      tooLong = false;
      start = nl + 1;
    }
    const rest = chunk.slice(start);
    if (!tooLong && buf.length + rest.length > max) {
      tooLong = true;
      buf = '';
    }
    if (!tooLong) buf += rest;
  }
  if (tooLong || buf.length > 0) yield { line: tooLong ? '' : buf.replace(/\r$/, ''), tooLong };
}

/** For `chainwatch classify --help`. */
export const CLASSIFY_USAGE = `chainwatch classify [--config FILE] [--reasons] [--outages-only] < posts.jsonl
  Reads JSON Lines of posts ({"text": …, "lang"?: …, "network"?: …}) and writes each with
  "outage", "score", "network" and "lang" added. Languages: ${SUPPORTED_LANGS.join(', ')}.`;
