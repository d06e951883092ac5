/** Durations in the config file: a number of milliseconds, or a string `ms` understands. */
import ms from 'ms';

/**
 * 250 -> 250, "250ms" -> 250, "30s" -> 30000, "5m" -> 300000, "1h" -> 3600000.
 * Returns undefined for anything else, including non-finite and negative values
 * (a negative duration is never meant, and `ms("-5m")` would happily accept it).
 */
export function parseDuration(value: unknown): number | undefined {
  let parsed: number | undefined;
  if (typeof value === 'number') parsed = value;
  // ms throws on an empty string and gives up (undefined) past 100 characters.
  else if (typeof value === 'string' && value.trim() !== '') parsed = ms(value.trim() as ms.StringValue);
  return parsed !== undefined && Number.isFinite(parsed) && parsed >= 0 ? parsed : undefined;
}

/**
 * 60000 -> "1m": the notation of the config file, so a config error can be pasted back into it.
 * People-facing text uses util/format's formatDuration ("1 min") instead.
 */
export function formatConfigDuration(valueMs: number): string {
  return ms(valueMs);
}
