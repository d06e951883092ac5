/** Models for the status page renderers' tests; fixed clock as in the reply renderers' fixtures. */
import type { NetworkStatusRow } from '../../../src/discord/bot/render/types';
import type { IncidentEvent } from '../../../src/model';
import { networkStatus, uptimeBars } from '../../../src/http/status/model';
import type { NetworkCard, Overview } from '../../../src/http/status/source';
import { incident, NOW, OPENED_AT, row } from '../../discord/bot/render/fixtures';

export { incident, NOW, OPENED_AT, row };

export const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)> & "quotes" \'too\'';

export function card(r: NetworkStatusRow, over: Partial<NetworkCard> = {}): NetworkCard {
  // 20 s buckets of 1 s blocks over the hour, one 9 s block in the middle.
  const first = Math.ceil((NOW - 3600_000) / 20_000) * 20_000;
  const buckets = Array.from({ length: 180 }, (_, i) => ({ t: first + i * 20_000, maxS: i === 90 ? 9 : 1, count: 20 }));
  return {
    network: r.network,
    row: r,
    status: networkStatus(r, NOW),
    buckets,
    lastHeadAt: NOW - 1000,
    uptime: uptimeBars([], NOW - 30 * 86_400_000, NOW),
    ...over,
  };
}

export function event(over: Partial<IncidentEvent> = {}): IncidentEvent {
  return {
    incidentId: 'megaeth-20250307T120301Z',
    network: 'megaeth',
    seq: 1,
    at: OPENED_AT,
    type: 'opened',
    status: 'investigating',
    severity: 'major',
    kind: 'halted',
    title: 'Block production halted',
    text: 'Block production halted. No new block for 10 s.',
    ...over,
  };
}

export function overview(): Overview {
  const open = incident({ network: 'megaeth' });
  const cards = [card(row('megaeth', 'MegaETH', { incident: open })), card(row('base', 'Base <b>'))];
  const timeline = [event(), event({ seq: 2, type: 'update', by: `mod ${HOSTILE}`, text: HOSTILE, at: OPENED_AT + 60_000 })];
  const past = [
    incident({
      id: 'base-20250301T000000Z',
      network: 'base',
      status: 'resolved',
      title: HOSTILE,
      recoveredAt: OPENED_AT - 5 * 86_400_000,
      startedAt: OPENED_AT - 5 * 86_400_000 - 600_000,
    }),
  ];
  return { now: NOW, cards, open: [{ incident: open, timeline }], past };
}
