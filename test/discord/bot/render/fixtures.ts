/** Rows, views and incidents for the reply renderers' tests. Fixed clock: 2025-03-07 12:13:01 UTC. */
import type { ChainView, EndpointView } from '../../../../src/engine/detectors/view';
import type { Incident } from '../../../../src/model';
import type { NetworkStatusRow } from '../../../../src/discord/bot/render/types';
import { testNetwork } from '../../../support/network';

export const NOW = Date.UTC(2025, 2, 7, 12, 13, 1);
export const OPENED_AT = Date.UTC(2025, 2, 7, 12, 3, 1);

export function endpoint(label: string, over: Partial<EndpointView> = {}): EndpointView {
  return { label, status: 'ok', number: 1_234_567, failures: 0, lastError: null, latencyMs: 120, observedAt: NOW - 1000, ...over };
}

export function view(over: Partial<ChainView> = {}): ChainView {
  return {
    head: { number: 1_234_567, hash: '0xabc', timestamp: (NOW - 2000) / 1000, observedAt: NOW - 1000 },
    lastAdvanceAt: NOW - 1000,
    blockIntervalMs: 1020,
    safeLag: null,
    endpoints: [endpoint('rpc-a'), endpoint('rpc-b')],
    ...over,
  };
}

export function incident(over: Partial<Incident> = {}): Incident {
  return {
    id: 'megaeth-20250307T120301Z',
    network: 'megaeth',
    status: 'investigating',
    severity: 'major',
    kind: 'halted',
    title: 'Block production halted',
    startedAt: OPENED_AT - 12_000,
    openedAt: OPENED_AT,
    updatedAt: NOW,
    confirmedAt: OPENED_AT,
    recoveredAt: null,
    resolvedAt: null,
    ack: null,
    signals: { halted: 600 },
    summary: 'No new block for 10 min 12 s',
    seq: 2,
    reopened: 0,
    seen: ['halted'],
    ...over,
  };
}

export function row(name: string, displayName: string, over: Partial<NetworkStatusRow> = {}): NetworkStatusRow {
  return { network: testNetwork({ name, displayName }), view: view(), incident: null, silence: null, ...over };
}

export const THREAD = 'https://discord.com/channels/111111111111111111/222222222222222222';
