/**
 * Maintenance windows: while a network is silenced, incidents are still detected and recorded,
 * but public posting is held. One predicate decides it for every publisher and page.
 */
export interface Silence {
  until: number;
  reason: string;
  by: string;
  createdAt: number;
}

export function isSilenced<S extends Pick<Silence, 'until'>>(silence: S | null | undefined, now: number): silence is S {
  return !!silence && silence.until > now;
}

/** Longest silence: a forgotten maintenance window must not mute a network for ever. */
export const MAX_SILENCE_MS = 7 * 24 * 3600_000;
