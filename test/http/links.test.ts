import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import type { AppConfig } from '../../src/config';
import { httpRoutes, incidentPageUrl } from '../../src/http/routes';
import { renderRoot } from '../../src/discord/render';
import { incident, NOW } from '../discord/bot/render/fixtures';
import { testNetwork } from '../support/network';

const config = (http: AppConfig['http']): AppConfig => ({
  redis: { url: 'redis://127.0.0.1:1', prefix: 'p' },
  log: { level: 'warn' },
  worker: { concurrency: 1 },
  networks: [testNetwork()],
  ...(http ? { http } : {}),
});

test('the Discord root embed links to the incident page when a public URL is configured', () => {
  const url = incidentPageUrl(
    config({ port: 1, host: 'h', publicUrl: 'https://status.example.org', statusPage: true, title: 't' }),
    incident().id,
  );
  const embed = renderRoot(incident(), { networkName: 'MegaETH', ...(url ? { incidentUrl: url } : {}) }, NOW).embeds![0]!;
  assert.equal(embed.url, 'https://status.example.org/incident/megaeth-20250307T120301Z');
  assert.equal(renderRoot(incident(), { networkName: 'MegaETH' }, NOW).embeds![0]!.url, undefined);
  assert.equal(renderRoot(incident(), { networkName: 'MegaETH', incidentUrl: 'javascript:alert(1)' }, NOW).embeds![0]!.url, undefined);
});

test('statusPage: false serves no public route; Bull Board is still answered', () => {
  const deps = {
    store: {},
    silences: {},
    history: {},
    outages: {},
    queues: [],
    clock: () => NOW,
    log: pino({ level: 'silent' }),
  } as unknown as Parameters<typeof httpRoutes>[1];
  assert.equal(httpRoutes(config({ port: 1, host: 'h', statusPage: false }), deps).routes.length, 0);
  assert.equal(httpRoutes(config({ port: 1, host: 'h' }), deps).routes.length, 1, 'on by default');
  assert.equal(typeof httpRoutes(config({ port: 1, host: 'h', statusPage: false }), deps).admin, 'function');
});
