/**
 * What the X account says about an incident, and when (pure: `now` is passed in).
 *
 * A three-hour outage should read as a handful of posts in one thread: the root when it goes
 * public, the escalation to critical, the team's updates, the recovery and the resolution.
 * Every post costs money (reference/apis.md §2) and a follower's attention, so the rest of the
 * timeline (new evidence, acknowledgements, minor severity changes) stays on Discord.
 *
 * - No root while the incident is `suspected` (social-only evidence): it waits for a moderator
 *   to confirm it or for chain evidence; the root then describes the incident as it is then.
 * - An incident that never went out on X gets no closing post either.
 * - Status flips (recovered, relapsed) come at most every `minUpdateIntervalMs` after the
 *   previous post. A flip that comes too soon is not dropped while it is still true: the
 *   caller waits until `retryAt` (otherwise the thread could say "recovered" for hours while
 *   the chain is down again). One that a later change made stale is skipped (`superseded`).
 * - Exempt from the interval: moderator updates, the resolution, the escalation to critical
 *   (severity only goes up, so it happens once) and a reopening (it follows a resolution post,
 *   which must not stand uncorrected). The post cap bounds them all.
 * - A flip to the status the thread already tells (`toldStatus`) adds nothing: skipped.
 * - At most `maxPostsPerIncident` posts, one of them always kept for the resolution.
 */
import type { Incident, IncidentEvent, IncidentStatus } from '../model';

export type XPostKind = 'root' | 'update' | 'resolved';

export interface XPostState {
  /** Posts made for this incident so far (root included). */
  posted: number;
  /** When the previous post went out (ms epoch), null before the root. */
  lastPostAt: number | null;
  rootPosted: boolean;
  /** The status the thread last told (root, flips, resolution); absent: none yet. */
  toldStatus?: IncidentStatus | null;
}

export interface XPostSettings {
  maxPostsPerIncident: number;
  minUpdateIntervalMs: number;
}

export const DEFAULT_X_POST_SETTINGS: Readonly<XPostSettings> = { maxPostsPerIncident: 6, minUpdateIntervalMs: 20 * 60_000 };

export type XSkipReason =
  /** Still suspected (social-only evidence): not public yet. */
  | 'suspected'
  /** A closing event of an incident whose root never went out on X. */
  | 'never_posted'
  /** Evidence, acknowledgements, minor severity changes: Discord only. */
  | 'not_newsworthy'
  /** A status flip that a later change already made stale. */
  | 'superseded'
  /** A status flip to what the thread already says (a later post told it). */
  | 'already_told'
  /** A status flip within the interval, still true: wait until `retryAt`. */
  | 'too_soon'
  /** The cap is reached (one post always kept for the resolution). */
  | 'post_limit';

export type XPostDecision =
  | { post: false; reason: Exclude<XSkipReason, 'too_soon'> }
  | { post: false; reason: 'too_soon'; retryAt: number }
  | { post: true; kind: XPostKind };

const CLOSING = new Set<IncidentEvent['type']>(['resolved', 'dismissed']);

/** Whether the incident was public (confirmed) by the time of this event. */
export function isPublicAt(event: IncidentEvent, incident: Incident): boolean {
  if (event.status === 'suspected') return false;
  if (event.status === 'investigating') return true;
  // monitoring, resolved, dismissed: a suspected incident can recover or close unconfirmed.
  return incident.confirmedAt !== null && incident.confirmedAt <= event.at;
}

/** Events worth a reply once the root is out (the closing ones aside). */
export function isNewsworthy(event: IncidentEvent): boolean {
  switch (event.type) {
    case 'severity_changed':
      return event.severity === 'critical';
    case 'update':
    case 'recovered':
    case 'relapsed':
    case 'reopened':
      return true;
    default:
      return false;
  }
}

/** Status flips are the only updates the interval applies to (see the module comment). */
function isFlip(event: IncidentEvent): boolean {
  return event.type === 'recovered' || event.type === 'relapsed';
}

/** A flip is stale once the incident's status moved on (relapsed again, recovered, closed). */
function isSuperseded(event: IncidentEvent, incident: Incident): boolean {
  return incident.seq > event.seq && incident.status !== event.status;
}

export function decideXPost(
  event: IncidentEvent,
  incident: Incident,
  state: XPostState,
  settings: XPostSettings,
  now: number,
): XPostDecision {
  const max = Math.max(2, Math.floor(settings.maxPostsPerIncident));
  const closing = CLOSING.has(event.type);
  if (!state.rootPosted) {
    if (closing) return { post: false, reason: 'never_posted' };
    if (!isPublicAt(event, incident)) return { post: false, reason: 'suspected' };
    return { post: true, kind: 'root' };
  }
  if (closing) return state.posted < max ? { post: true, kind: 'resolved' } : { post: false, reason: 'post_limit' };
  if (!isNewsworthy(event)) return { post: false, reason: 'not_newsworthy' };
  if (isFlip(event) && state.toldStatus === event.status) return { post: false, reason: 'already_told' };
  if (isFlip(event) && isSuperseded(event, incident)) return { post: false, reason: 'superseded' };
  if (state.posted >= max - 1) return { post: false, reason: 'post_limit' };
  if (isFlip(event) && state.lastPostAt !== null && now - state.lastPostAt < settings.minUpdateIntervalMs) {
    return { post: false, reason: 'too_soon', retryAt: state.lastPostAt + settings.minUpdateIntervalMs };
  }
  return { post: true, kind: 'update' };
}

/** The status a post of `kind` for `event` tells followers, or null if it tells none. */
export function toldStatusOf(kind: XPostKind, event: IncidentEvent): IncidentStatus | null {
  if (kind !== 'update' || isFlip(event) || event.type === 'reopened') return event.status;
  return null;
}
