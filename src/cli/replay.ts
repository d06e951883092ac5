import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { Replayer } from '../replay/replayer';
import { boundedLines, MAX_LINE_CHARS } from './classify';
import { UsageError } from './errors';

/** Over-long lines reported, like the replayer's own bad lines: a file of garbage names its first ones. */
const MAX_REPORTED_LONG_LINES = 100;

/**
 * Prints one JSON object per incident on stdout; bad lines are named on stderr (exit 1). Lines
 * are read with the same bound as `classify`'s (1 Mi characters, far above any real line): a
 * longer one is a bad line, skipped without being held, so one 200 MB line cannot take the
 * memory with it.
 */
export async function runReplay(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { events: { type: 'boolean', default: false } },
  });
  const file = positionals[0];
  if (!file) throw new UsageError('replay needs a timeline file: chainwatch replay FILE.jsonl');
  const replayer = new Replayer({ events: values.events });
  const started = process.hrtime.bigint();
  const input = file === '-' ? process.stdin : createReadStream(file);
  const longLines: string[] = [];
  let lineNo = 0;
  for await (const { line, tooLong } of boundedLines(input, MAX_LINE_CHARS)) {
    lineNo++;
    if (!tooLong) {
      replayer.push(line);
      continue;
    }
    replayer.push(''); // keeps the replayer's line numbers in step
    if (longLines.length < MAX_REPORTED_LONG_LINES) longLines.push(`line ${lineNo}: longer than ${MAX_LINE_CHARS} characters, skipped`);
  }
  const incidents = replayer.finish();
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  for (const inc of incidents) process.stdout.write(`${JSON.stringify(inc)}\n`);
  const { lines, samples } = replayer.summary;
  const errors = [...replayer.summary.errors, ...longLines].sort((a, b) => lineOf(a) - lineOf(b));
  for (const e of errors) process.stderr.write(`${file}: ${e}\n`);
  process.stderr.write(
    `replayed ${lines} lines (${samples} samples) in ${elapsedMs.toFixed(1)} ms (${Math.round(lines / Math.max(elapsedMs / 1000, 1e-6))} lines/s): ${incidents.length} incident(s)\n`,
  );
  return errors.length > 0 ? 1 : 0;
}

const lineOf = (error: string) => Number(/^line (\d+)/.exec(error)?.[1] ?? 0);
