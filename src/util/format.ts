/**
 * Plain-words formatting for people ("3 min 20 s", "#18,233,001"), shared by the engine and
 * every renderer, so a duration reads the same everywhere. Config messages use the file's own
 * notation instead (src/config/duration.ts). Pure.
 */

/** 18233001 -> "18,233,001" (block numbers people read). */
export function formatBlock(n: number): string {
  return `#${Math.trunc(n).toLocaleString('en-US')}`;
}

export function formatCount(n: number): string {
  return Math.trunc(n).toLocaleString('en-US');
}

/** 45_000 -> "45 s", 200_000 -> "3 min 20 s", 10_800_000 -> "3 h". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '0 s';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const totalS = Math.round(ms / 1000);
  if (totalS < 60) return `${totalS} s`;
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = totalS % 60;
  if (h === 0) return s === 0 ? `${m} min` : `${m} min ${s} s`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** ms epoch -> "12:03:01 UTC". */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}

/** ms epoch -> "2025-03-07 12:03 UTC". */
export function formatDateTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** ms -> "1.5 s" for block times and intervals. */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${s >= 10 ? Math.round(s) : Number(s.toFixed(2))} s`;
}

/** "investigating" -> "Investigating". */
export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
