/**
 * How one network's head history is stored: one hash field per minute. A recent minute
 * (field `r<minute start ms>`) holds its head points as seen, as text; a minute older than
 * HISTORY_BOUNDS.rawMs (field `s<minute start ms>`) holds a summary of at most three intervals,
 * enough for the incident picture to draw six hours: where blocks came, the longest gap exactly,
 * the longest interval. Pure: the store (history.ts) reads and writes the text, this file
 * makes and reads it.
 *
 *   raw:     <prev t>,<prev n>,<prev ts>|<o>,<n>,<ts>;<o>,<dn>,<dts>;…   (prev empty: none)
 *   summary: <o>,<seconds>;<o>,<seconds>,<since o>,<count>,<mean>;…
 *
 * `o` is ms into the minute; a raw minute's first point is absolute and the others are deltas
 * from the one before; `prev` is the last point before the minute, so every minute knows its
 * first interval however long the chain was halted before it. About 10 bytes a point (a 1 s
 * chain's minute is ~650 bytes), ~60 bytes a summary, against ~115 bytes a point in a sorted set.
 */
import type { BlockInterval, HeadPoint } from '../model';

export const MINUTE_MS = 60_000;

export const minuteOf = (t: number): number => Math.floor(t / MINUTE_MS) * MINUTE_MS;

export type StoredMinute = { kind: 'raw'; prev: HeadPoint | null; points: HeadPoint[] } | { kind: 'summary'; intervals: BlockInterval[] };

/** One advance of the head: the later point's sighting and the one before it. */
interface Advance {
  t: number;
  prevT: number;
  seconds: number;
  blocks: number;
  blockSeconds: number;
}

const num = (s: string | undefined): number => (s === undefined || s === '' ? NaN : Number(s));
const fmt = (x: number): string => String(Math.round(x * 1000) / 1000);

function triple(text: string): [number, number, number] | null {
  const parts = text.split(',');
  if (parts.length !== 3) return null;
  const v = parts.map(num) as [number, number, number];
  return v.every(Number.isFinite) ? v : null;
}

/** The points of a raw minute as the Lua writer appends them (first absolute, then deltas). */
export function encodeRaw(minute: number, prev: HeadPoint | null, points: readonly HeadPoint[]): string {
  const head = prev ? `${prev.t},${prev.n},${prev.ts}` : '';
  const body = points.map((p, i) => {
    const before = points[i - 1];
    return before ? `${p.t - minute},${p.n - before.n},${p.ts - before.ts}` : `${p.t - minute},${p.n},${p.ts}`;
  });
  return `${head}|${body.join(';')}`;
}

export function encodeSummary(minute: number, intervals: readonly BlockInterval[]): string {
  const items = intervals.map((iv) =>
    iv.span
      ? `${iv.t - minute},${fmt(iv.seconds)},${iv.span.since - minute},${iv.span.count},${fmt(iv.span.mean)}`
      : `${iv.t - minute},${fmt(iv.seconds)}`,
  );
  return items.join(';');
}

export const rawField = (minute: number): string => `r${minute}`;
export const summaryField = (minute: number): string => `s${minute}`;

/** The minute a field stands for and what it holds; null for fields that are not minutes. */
export function parseField(field: string): { kind: 'raw' | 'summary'; minute: number } | null {
  const kind = field[0] === 'r' ? 'raw' : field[0] === 's' ? 'summary' : null;
  const minute = Number(field.slice(1));
  return kind && field.length > 1 && Number.isSafeInteger(minute) && minute % MINUTE_MS === 0 ? { kind, minute } : null;
}

/** What a stored field holds; null for text this version cannot read (it is then skipped, never thrown on). */
export function decodeMinute(kind: 'raw' | 'summary', minute: number, text: string): StoredMinute | null {
  return kind === 'raw' ? decodeRaw(minute, text) : decodeSummary(minute, text);
}

function decodeRaw(minute: number, text: string): StoredMinute | null {
  const bar = text.indexOf('|');
  if (bar < 0) return null;
  const head = bar === 0 ? null : triple(text.slice(0, bar));
  if (bar > 0 && !head) return null;
  const points: HeadPoint[] = [];
  for (const item of text.slice(bar + 1).split(';')) {
    const v = triple(item);
    if (!v) return null;
    const before = points.at(-1);
    points.push(before ? { t: minute + v[0], n: before.n + v[1], ts: before.ts + v[2] } : { t: minute + v[0], n: v[1], ts: v[2] });
  }
  return { kind: 'raw', prev: head && { t: head[0], n: head[1], ts: head[2] }, points };
}

function decodeSummary(minute: number, text: string): StoredMinute | null {
  const intervals: BlockInterval[] = [];
  for (const item of text === '' ? [] : text.split(';')) {
    const v = item.split(',').map(num);
    if (!v.every(Number.isFinite) || (v.length !== 2 && v.length !== 5)) return null;
    const [o, seconds, since, count, mean] = v as [number, number, number?, number?, number?];
    intervals.push(
      since === undefined
        ? { t: minute + o, seconds }
        : { t: minute + o, seconds, span: { since: minute + since, count: count!, mean: mean! } },
    );
  }
  return { kind: 'summary', intervals };
}

/** The head advances of a raw minute, by the rule of blockIntervals(): a lower or equal head is no progress. */
function advances(prev: HeadPoint | null, points: readonly HeadPoint[]): Advance[] {
  const out: Advance[] = [];
  let last = prev;
  for (const p of points) {
    if (last && p.n > last.n && p.ts >= last.ts) {
      const blocks = p.n - last.n;
      out.push({ t: p.t, prevT: last.t, seconds: (p.ts - last.ts) / blocks, blocks, blockSeconds: p.ts - last.ts });
    }
    if (!last || p.n > last.n) last = p;
  }
  return out;
}

/** The block intervals a stored minute stands for, oldest first. */
export function minuteIntervals(m: StoredMinute): BlockInterval[] {
  if (m.kind === 'summary') return m.intervals;
  return advances(m.prev, m.points).map((a) => ({ t: a.t, seconds: a.seconds }));
}

function spanOf(run: readonly Advance[]): BlockInterval[] {
  if (run.length <= 1) return run.map((a) => ({ t: a.t, seconds: a.seconds }));
  const blocks = run.reduce((s, a) => s + a.blocks, 0);
  const secs = run.reduce((s, a) => s + a.blockSeconds, 0);
  return [
    {
      t: run.at(-1)!.t,
      seconds: Math.max(...run.map((a) => a.seconds)),
      span: { since: run[0]!.t, count: run.length, mean: blocks > 0 ? secs / blocks : 0 },
    },
  ];
}

/**
 * A raw minute reduced to at most three intervals: the advance after the longest time without
 * a new head, exactly (where a halt ends, or a hiccup within the minute), and the runs before
 * and after it as spans. Columns of a picture then show no block only where there was none.
 */
export function summarize(m: StoredMinute): BlockInterval[] {
  if (m.kind === 'summary') return m.intervals;
  const all = advances(m.prev, m.points);
  if (all.length <= 3) return all.map((a) => ({ t: a.t, seconds: a.seconds }));
  let g = 0;
  for (let i = 1; i < all.length; i++) if (all[i]!.t - all[i]!.prevT > all[g]!.t - all[g]!.prevT) g = i;
  return [...spanOf(all.slice(0, g)), { t: all[g]!.t, seconds: all[g]!.seconds }, ...spanOf(all.slice(g + 1))];
}
