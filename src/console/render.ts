import type { Incident, IncidentEvent } from '../model';
import { formatDuration, formatTime } from '../util/format';
import { EVENT_LABEL } from '../publish/labels';

/**
 * Renders an IncidentEvent the way it reads in a Discord thread: the opening event is the
 * root message (a card), every later event a reply beneath it. Pure; colour is optional
 * (ANSI only when printing to a terminal).
 */

const COLOUR: Record<string, string> = {
  suspected: '\x1b[90m',
  investigating: '\x1b[31m',
  monitoring: '\x1b[33m',
  resolved: '\x1b[32m',
  dismissed: '\x1b[90m',
};
const RESET = '\x1b[0m';
const BOLD = '\x1b[1m';

export interface RenderOptions {
  color?: boolean;
  /** Display name of the network ("OP Mainnet"). */
  networkName?: string;
}

export function renderConsoleEvent(event: IncidentEvent, incident: Incident | null, opts: RenderOptions = {}): string {
  const paint = (code: string, s: string) => (opts.color ? `${code}${s}${RESET}` : s);
  const status = paint(COLOUR[event.status] ?? '', `${event.status} · ${event.severity}`);
  const name = opts.networkName ?? event.network;
  if (event.type === 'opened') {
    const started = incident ? ` · since ${formatTime(incident.startedAt)}` : '';
    return [
      paint(BOLD, `┏━ [${name}] ${event.title}`),
      `┃  ${status}${started}`,
      `┃  ${event.text}`,
      `┗━ incident ${event.incidentId} · thread ↓`,
    ].join('\n');
  }
  const when = formatTime(event.at);
  const label = EVENT_LABEL[event.type];
  const age = incident ? ` (+${formatDuration(event.at - incident.openedAt)})` : '';
  return `   ↳ ${when}${age} [${name}] ${paint(BOLD, label)}: ${event.text}  [${status}]`;
}
