import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Replayer } from '../replay/replayer';
import { UsageError } from './errors';

/** Prints one JSON object per incident on stdout; bad lines are named on stderr (exit 1). */
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
  const input = file === '-' ? process.stdin : createReadStream(file, { encoding: 'utf8' });
  for await (const line of createInterface({ input, crlfDelay: Infinity })) replayer.push(line);
  const incidents = replayer.finish();
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  for (const inc of incidents) process.stdout.write(`${JSON.stringify(inc)}\n`);
  const { lines, samples, errors } = replayer.summary;
  for (const e of errors) process.stderr.write(`${file}: ${e}\n`);
  process.stderr.write(
    `replayed ${lines} lines (${samples} samples) in ${elapsedMs.toFixed(1)} ms (${Math.round(lines / Math.max(elapsedMs / 1000, 1e-6))} lines/s): ${incidents.length} incident(s)\n`,
  );
  return errors.length > 0 ? 1 : 0;
}
