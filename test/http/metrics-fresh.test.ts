import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Metrics, type ScrapeState } from '../../src/http/metrics';

/**
 * Every gauge read from Redis shows the scrape it was asked in: the first scrape already has
 * the figures, and a later one the new ones (not the previous scrape's, as when one gauge's
 * collect filled the others after they had been read). One read per scrape, shared.
 */
test('gauges show this scrape’s state, read once per scrape', async () => {
  let reads = 0;
  let age = 7;
  const state: ScrapeState = {
    networks: async () => {
      reads++;
      await new Promise((r) => setTimeout(r, 20)); // a Redis round trip
      return [{ network: 'megaeth', headAgeSeconds: age, open: { status: 'investigating', kind: 'halted' }, signals: { halted: 1 } }];
    },
    queues: async () => [{ queue: 'chain-poll', waiting: 3, delayed: 0, active: 1, failed: 0, oldestWaitingSeconds: 2 }],
  };
  const metrics = new Metrics(state);
  const first = await metrics.registry.metrics();
  assert.match(first, /^chainwatch_head_age_seconds\{network="megaeth"\} 7$/m);
  assert.match(first, /^chainwatch_incident_open\{network="megaeth",status="investigating",kind="halted"\} 1$/m);
  assert.match(first, /^chainwatch_signals_active\{network="megaeth",kind="halted"\} 1$/m);
  assert.match(first, /^chainwatch_queue_jobs\{queue="chain-poll",state="waiting"\} 3$/m);
  assert.match(first, /^chainwatch_queue_oldest_waiting_seconds\{queue="chain-poll"\} 2$/m);
  assert.equal(reads, 1, 'one read shared by every gauge');
  age = 9;
  await new Promise((r) => setTimeout(r, 1100));
  const second = await metrics.registry.metrics();
  assert.match(second, /^chainwatch_head_age_seconds\{network="megaeth"\} 9$/m, 'the new figure, not the previous scrape’s');
  assert.equal(reads, 2);
});
