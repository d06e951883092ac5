/**
 * The pieces every section schema is made of: strict objects that suggest the nearest known key,
 * plain-words messages that never quote a value unless told it is safe, durations and numbers
 * as the file writes them. Shared by schema.ts and the discord, x and social sections.
 */
import { z } from 'zod';
import { formatConfigDuration, parseDuration } from './duration';

export type Path = (string | number)[];
/** One problem found; `plain` is `message` without any quoted value. */
export interface RawIssue {
  path: Path;
  message: string;
  plain?: string;
  quotes?: Path[];
}

/** ['networks', 2, 'endpoints', 0, 'url'] -> "networks[2].endpoints[0].url" */
export function formatPath(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** JSON-quoted and cut short: a stray paste must not flood the terminal. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** ' (did you mean "endpoints"?)' for the nearest candidate within a few edits, else ''. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = c.toLowerCase() === word.toLowerCase() ? 0 : editDistance(word, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

/**
 * A strict object whose unknown-key message suggests the nearest known key. zod reports all
 * unknown keys of one object as one issue; the message holds one line per key, in order, and
 * `zodIssues` splits it back into one issue per key.
 */
export function strict<S extends z.ZodRawShape>(shape: S) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? iss.keys.map((k) => `unknown key${didYouMean(k, known)}`).join('\n') : undefined),
  });
}

const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : `a ${typeof v}`);
const EXPECTED: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'a string', number: 'a number' };

/** Plain-words messages for zod's built-in checks. None of them quotes the input. */
export const errorMap: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type':
      return iss.input === undefined ? 'required' : `expected ${EXPECTED[iss.expected] ?? iss.expected}, got ${kindOf(iss.input)}`;
    case 'invalid_value':
      return `must be one of ${iss.values.map(String).join(', ')}`;
    case 'too_small':
      return iss.origin === 'array' ? `must list at least ${iss.minimum}` : iss.origin === 'string' ? 'must not be empty' : undefined;
    case 'too_big':
      return iss.origin === 'string' ? `must be at most ${iss.maximum} characters` : undefined;
    default:
      return undefined;
  }
};

/** zod issues -> RawIssues under `prefix`, one per unknown key. */
export function zodIssues(error: z.ZodError, prefix: Path): RawIssue[] {
  return error.issues.flatMap((iss): RawIssue[] => {
    const path = [...prefix, ...iss.path.map((p) => (typeof p === 'number' ? p : String(p)))];
    if (iss.code === 'unrecognized_keys') {
      const lines = iss.message.split('\n');
      return iss.keys.map((k, i) => ({ path: [...path, k], message: lines[i] ?? 'unknown key' }));
    }
    const plain = iss.code === 'custom' && typeof iss.params?.plain === 'string' ? iss.params.plain : undefined;
    return [{ path, message: iss.message, ...(plain !== undefined ? { plain } : {}) }];
  });
}

type Ctx = z.core.$RefinementCtx;
export const fail = (ctx: Ctx, message: string, plain = message) => {
  ctx.addIssue({ code: 'custom', message, params: { plain } });
  return z.NEVER;
};

/** A duration within [min, max] (or below `below`); a bare number is milliseconds. */
export function duration({ min, max, below }: { min: number; max?: number; below?: number }) {
  return z.unknown().transform((v, ctx) => {
    const parsed = parseDuration(v);
    if (parsed === undefined) {
      return fail(ctx, `not a duration${typeof v === 'string' ? ` (${quote(v)})` : ''}`, 'not a duration');
    }
    // `stall: 60` means 60 ms, rarely what was meant.
    const hint = typeof v === 'number' && v > 0 && v < 1000 ? ' (a bare number is milliseconds)' : '';
    if (parsed < min) return fail(ctx, `must be at least ${formatConfigDuration(min)}${hint}`);
    if (max !== undefined && parsed > max) return fail(ctx, `must be at most ${formatConfigDuration(max)}`);
    if (below !== undefined && parsed >= below) return fail(ctx, `must be less than ${formatConfigDuration(below)}`);
    return parsed;
  });
}

/**
 * A number in [min, max]. Digit strings count too, so `${WORKERS}` works.
 * `above`: exclusive lower bound instead of `min`.
 */
export function num({
  min,
  max,
  integer = true,
  above,
  nullable = false,
}: {
  min?: number;
  max: number;
  integer?: boolean;
  above?: number;
  nullable?: boolean;
}) {
  return z.unknown().transform((v, ctx): number | null => {
    if (v === null && nullable) return null;
    const n = typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n)) return fail(ctx, integer ? 'must be a whole number' : 'must be a number');
    if (integer && !Number.isInteger(n)) return fail(ctx, 'must be a whole number');
    if (above !== undefined && n <= above) return fail(ctx, `must be greater than ${above}`);
    if (min !== undefined && n < min) return fail(ctx, `must be at least ${min}`);
    if (n > max) return fail(ctx, `must be at most ${max}`);
    return n;
  });
}
export const count = (min: number, max: number) => num({ min, max }).pipe(z.number());

export const SECOND = 1000;
export const DAY = 86_400_000;
