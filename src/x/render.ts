/**
 * X post texts (pure: `ctx.now` is passed in, nothing here reads the clock or a client).
 *
 * Lengths are measured as X measures them, with twitter-text's v3 config: 280 weighted
 * characters, every URL 23, CJK and emoji 2 (reference/apis.md §2, "Weighted character
 * counting"; https://docs.x.com/fundamentals/counting-characters). A body that does not fit is
 * cut, never the link.
 *
 * Untrusted text stays inert (DESIGN.md principle 7): a moderator's text cannot mention an
 * account (a zero-width joiner after every `@`: twitter-text, and X, take `＠` as a mention
 * sign too, so a full-width at would not do) and carries no link (only the root does: a post
 * with a URL costs $0.200 instead of $0.015). Bare domains count as links on X, so they are
 * stripped from moderator text and defused (dots replaced) in names and titles.
 */
import twitter from 'twitter-text';
import { officialLeadSentence } from '../engine/official-evidence';
import { EVENT_KINDS, outageSpan, type Incident, type IncidentEvent } from '../model';
import { formatDateTime, formatDuration } from '../util/format';
import type { XPostKind } from './policy';

/** https://docs.x.com/fundamentals/counting-characters: maxWeightedTweetLength. */
export const X_MAX_WEIGHTED_LENGTH = 280;
export const ELLIPSIS = '…';
/** Keeps `@name` from being a mention (twitter-text's mention regex needs `@` right before it). */
const ZWJ = '\u200D';
/** One dot leader: looks like a dot, is not one to twitter-text's URL extractor. */
const DOT_LEADER = '\u2024';
/** A cut looks back this many graphemes for a space to end on a whole word. */
const WORD_CUT_LOOKBACK = 15;

export interface XRenderContext {
  /** The network's display name ("MegaETH"). */
  networkName: string;
  /** Where to read more (the Discord thread, the status page); only the root carries it. */
  link?: string | null;
  /** Only decides whether a time needs its date (another UTC day than now). */
  now: number;
}

/** X's weighted length of `text` (twitter-text v3). */
export function weightedLength(text: string): number {
  return twitter.parseTweet(text).weightedLength;
}

// Bidi overrides and isolates could reorder the quoted text; BOM and non-characters are invalid on X.
const INVISIBLE = /[\u202A-\u202E\u2066-\u2069\uFEFF\uFFFE\uFFFF]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Control characters out, whitespace collapsed to single spaces. */
function clean(text: string): string {
  return text
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(INVISIBLE, '')
    .replace(/[\p{Cc}\s]+/gu, ' ')
    .trim();
}

/** Replaces the dots of anything twitter-text would link, so it is no link. */
function defuseUrls(text: string): string {
  let out = text;
  for (const { indices } of twitter.extractUrlsWithIndices(out).reverse()) {
    const [from, to] = indices;
    out = out.slice(0, from) + out.slice(from, to).replaceAll('.', DOT_LEADER) + out.slice(to);
  }
  return out;
}

function defuseMentions(text: string): string {
  return text.replace(/[@＠]/g, (at) => at + ZWJ);
}

/** Operator-given names and titles: no mention, no link. */
function inert(text: string): string {
  return defuseMentions(defuseUrls(clean(text)));
}

/** A moderator's text, quoted: links removed, mentions defused, one line. */
export function quoteModeratorText(text: string): string {
  // Anything with a scheme goes, recognised TLD or not; then what twitter-text would link.
  let out = clean(
    clean(text)
      .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S*/gi, '')
      .replace(/\s+([,.;:!?)])/g, '$1'),
  );
  for (let i = 0; i < 3; i++) {
    const urls = twitter.extractUrlsWithIndices(out);
    if (urls.length === 0) break;
    for (const { indices } of urls.reverse()) out = out.slice(0, indices[0]) + out.slice(indices[1]);
    out = clean(out.replace(/\s+([,.;:!?)])/g, '$1'));
  }
  return defuseMentions(defuseUrls(out));
}

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * `body` + ` link`, the body cut (on a grapheme, preferably at a space, with an ellipsis) until
 * the whole fits X's limit. A link that cannot fit even with an empty body is left out.
 */
export function fitPost(body: string, link?: string | null): string {
  const suffix = link ? ` ${link}` : '';
  if (weightedLength(body + suffix) <= X_MAX_WEIGHTED_LENGTH) return body + suffix;
  if (suffix && weightedLength(ELLIPSIS + suffix) > X_MAX_WEIGHTED_LENGTH) return fitPost(body, null);
  const parts = Array.from(segmenter.segment(body), (s) => s.segment);
  const cut = (n: number) => parts.slice(0, n).join('').trimEnd() + ELLIPSIS + suffix;
  let lo = 0;
  let hi = parts.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (weightedLength(cut(mid)) <= X_MAX_WEIGHTED_LENGTH) lo = mid;
    else hi = mid - 1;
  }
  const space = parts.slice(0, lo).lastIndexOf(' ');
  const n = space > 0 && lo - space <= WORD_CUT_LOOKBACK ? space : lo;
  return cut(n);
}

const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** "12:03 UTC", or "2025-03-07 12:03 UTC" when it is not the day of `now`. */
function at(ms: number, now: number): string {
  return day(ms) === day(now) ? `${hhmm(ms)} UTC` : formatDateTime(ms);
}

/** "12:03–15:14 UTC", with dates when it is not today or spans days. */
function range(from: number, to: number, now: number): string {
  if (day(from) !== day(to)) return `${day(from)} ${hhmm(from)} – ${day(to)} ${hhmm(to)} UTC`;
  return `${day(from) === day(now) ? '' : `${day(from)} `}${hhmm(from)}–${hhmm(to)} UTC`;
}

/** Whole minutes from a minute on ("3 h 11 min", cut down as the thread's texts are); seconds below. */
function duration(ms: number): string {
  return formatDuration(ms < 60_000 ? Math.round(ms / 1000) * 1000 : Math.floor(ms / 60_000) * 60_000);
}

/** "Block production halted" -> "block production halted"; "RPC provider …" stays. */
function lowerFirst(s: string): string {
  return /^\p{Lu}\p{Ll}/u.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}

function what(event: IncidentEvent): string {
  return inert(lowerFirst(event.title));
}

function rootText(event: IncidentEvent, incident: Incident, name: string, now: number): string {
  const since = `${EVENT_KINDS.has(event.kind) ? 'at' : 'since'} ${at(incident.startedAt, now)}`;
  if (event.status === 'monitoring') return `${name}: ${what(event)} ${since}; recovering now. Monitoring.`;
  return `${name}: ${what(event)} ${since}. Investigating.`;
}

function outageFor(event: IncidentEvent, incident: Incident): string {
  const d = duration(event.at - outageSpan(incident).from);
  if (event.kind === 'halted') return `, no new block for ${d}`;
  if (event.kind === 'rpc_unreachable') return `, no RPC endpoint answering for ${d}`;
  return '';
}

function updateText(event: IncidentEvent, incident: Incident, name: string, now: number): string {
  const when = at(event.at, now);
  switch (event.type) {
    case 'severity_changed':
      return `${name} update (${when}): severity raised to ${event.severity}${outageFor(event, incident)}.`;
    case 'update':
      // A text that was nothing but a link still says something; the root carries the link.
      return `${name} update from the team (${when}): ${quoteModeratorText(event.text) || 'details in the first post of this thread.'}`;
    case 'recovered': {
      // The evidence cleared a little before it was judged gone for good: tell that moment.
      const clearedAt = typeof event.details?.recoveredAt === 'number' ? event.details.recoveredAt : event.at;
      const after = `after ${duration(clearedAt - outageSpan(incident).from)} (${at(clearedAt, now)})`;
      if (event.kind === 'halted') return `${name}: blocks are being produced again ${after}. Monitoring.`;
      if (event.kind === 'rpc_unreachable') return `${name}: RPC endpoints answer again ${after}. Monitoring.`;
      return `${name}: ${what(event)} has cleared ${after}. Monitoring.`;
    }
    case 'relapsed':
      return `${name} update (${when}): the problem is back, ${what(event)}. Investigating.`;
    case 'reopened':
      return `${name} update (${when}): reopened, ${what(event)} again. Investigating.`;
    default:
      return `${name} update (${when}): ${quoteModeratorText(event.text)}`;
  }
}

function resolvedText(event: IncidentEvent, incident: Incident, name: string, now: number): string {
  if (event.type === 'dismissed') {
    return `${name}: all clear (${at(event.at, now)}). The alert of ${at(incident.startedAt, now)} (${what(event)}) was a false alarm.`;
  }
  // The same measure as the thread's and the card's: the witnesses' evidence, to recovery.
  const span = outageSpan(incident);
  const measured = event.details?.durationMs;
  const lasted = typeof measured === 'number' ? measured : (span.to ?? event.at) - span.from;
  const end = span.from + Math.max(0, lasted);
  // Measured when it resolved (src/engine/correlator.ts); absent when the official page was first.
  const lead = event.details?.officialLeadMs;
  const ahead = typeof lead === 'number' ? ` ${officialLeadSentence(lead)}` : '';
  return `Resolved: ${name} ${what(event)} for ${duration(lasted)} (${range(span.from, end, now)}).${ahead}`;
}

/**
 * The text of one post. The root names the problem and since when and carries the link;
 * updates are short and time-stamped (which also keeps them unlike any earlier post, so X's
 * duplicate-content check never trips on a new incident); the last post gives the duration.
 */
export function renderXPost(kind: XPostKind, event: IncidentEvent, incident: Incident, ctx: XRenderContext): string {
  const name = inert(ctx.networkName);
  switch (kind) {
    case 'root':
      return fitPost(rootText(event, incident, name, ctx.now), ctx.link);
    case 'update':
      return fitPost(updateText(event, incident, name, ctx.now));
    case 'resolved':
      return fitPost(resolvedText(event, incident, name, ctx.now));
  }
}
