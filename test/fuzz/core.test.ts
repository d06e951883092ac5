/**
 * Hostile and random input into the pure core, thousands of times, with a fixed seed so a
 * failure reproduces: nothing throws, state stays bounded, nothing can ping.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initialChainState, observeChain } from '../../src/engine/detectors';
import { parseBlockRef } from '../../src/chain/sample-head';
import type { HeadSample } from '../../src/model';
import { ConfigError, parseConfig } from '../../src/config';
import { correlate, initialCorrelatorState } from '../../src/engine/correlator';
import { escapeQuoted } from '../../src/discord/escape';
import { MESSAGE_CONTENT_MAX } from '../../src/discord/limits';
import { classifyPost } from '../../src/social/classify';
import { initialSocialState, observeSocial, reportOf } from '../../src/engine/social-evidence';
import { testNetwork } from '../support/network';
import { rng } from '../support/rng';

const r = rng(20261124);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (n: number) => Math.floor(r() * n);

const NASTY = [
  '@everyone',
  '@here',
  '<@&123>',
  '<@!1>',
  '<#2>',
  '[click](https://evil.example)',
  '\u202e',
  '\u200b',
  '\uFEFF',
  '**',
  '__',
  '~~',
  '||',
  '`',
  '```',
  '> ',
  '\n\n\n\n',
  '🦄',
  '👨‍👩‍👧',
  '日本語',
  'Ελληνικά',
  '\u0000',
  '\ud800',
  'ETH down 8%',
  'rpc down',
  '停止',
  '$MEGA',
  '#',
];
function nastyText(max: number): string {
  let s = '';
  const n = int(max);
  for (let i = 0; i < n; i++) s += r() < 0.5 ? pick(NASTY) : String.fromCharCode(int(0x3000));
  return s;
}

const ANY = (): unknown => {
  switch (int(9)) {
    case 0:
      return null;
    case 1:
      return int(2) === 0;
    case 2:
      return (r() - 0.5) * 10 ** int(30);
    case 3:
      return `0x${Math.floor(r() * 1e16).toString(16)}`;
    case 4:
      return nastyText(20);
    case 5:
      return [];
    case 6:
      return { number: `0x${int(1e9).toString(16)}`, hash: `0x${'a'.repeat(int(70))}`, parentHash: 7, timestamp: '0xzz' };
    case 7:
      return Number.NaN;
    default:
      return {};
  }
};

test('garbage JSON-RPC block results are classified, never thrown', () => {
  for (let i = 0; i < 5000; i++) {
    const parsed = parseBlockRef(ANY());
    assert.equal(typeof parsed.ok, 'boolean');
  }
});

test('absurd samples never crash the detectors or the correlator, and state stays bounded', () => {
  const net = testNetwork();
  let chain = initialChainState();
  let corr = initialCorrelatorState();
  let now = 1_700_000_000_000;
  for (let i = 0; i < 5000; i++) {
    now += int(5000);
    const samples: HeadSample[] = ['rpc-a', 'rpc-b', 'ghost'].map((endpoint) =>
      r() < 0.3
        ? {
            ok: false,
            network: net.name,
            endpoint,
            observedAt: now - int(10_000),
            latencyMs: int(1e6),
            kind: pick(['timeout', 'http', 'rpc', 'malformed', 'unreachable'] as const),
            message: nastyText(5),
            status: int(600),
          }
        : {
            ok: true,
            network: pick([net.name, 'other']),
            endpoint,
            observedAt: now + int(3) * 1e9 - 1e9,
            latencyMs: int(100),
            number: pick([int(1e6), 0, Number.MAX_SAFE_INTEGER, int(10)]),
            hash: `0x${int(1e9).toString(16).padStart(64, '0')}`,
            parentHash: `0x${int(1e9).toString(16).padStart(64, '0')}`,
            timestamp: pick([int(2e9), 0, 4e12]),
            ...(r() < 0.3 ? { safe: int(1e6) } : {}),
          },
    );
    const step = observeChain(chain, samples, net, now);
    chain = step.state;
    corr = correlate(corr, { now, signals: step.signals, evaluated: ['chain'] }, net).state;
  }
  assert.ok(JSON.stringify(chain).length < 64 * 1024);
  assert.ok(JSON.stringify(corr).length < 64 * 1024);
});

test('hostile posts: the classifier and the evidence model never throw; escaped text never pings', () => {
  const terms = [{ name: 'megaeth', terms: ['MegaETH', '@megaeth', '$MEGA'] }];
  let social = initialSocialState();
  const net = testNetwork({ name: 'megaeth' });
  for (let i = 0; i < 3000; i++) {
    const text = i % 500 === 0 ? nastyText(10).repeat(5000) : nastyText(60);
    const c = classifyPost({ text, lang: pick([undefined, 'en', 'und', 'xx', '']) as string | undefined }, terms);
    assert.ok(c.score >= 0 && c.score <= 1);
    const esc = escapeQuoted(text);
    assert.ok(esc.length <= MESSAGE_CONTENT_MAX);
    assert.doesNotMatch(esc, /@(everyone|here)|<@[!&]?\d|<#\d/);
    if (c.outage)
      social = observeSocial(
        social,
        [reportOf({ source: 'x', id: String(i), author: `a${int(50)}`, text, createdAt: 1e12 + i * 1000 }, c.lang)],
        net,
        1e12 + i * 1000,
      ).state;
  }
});

test('a config with every kind of mistake is a ConfigError naming keys, never a crash', () => {
  const keys = ['networks', 'redis', 'log', 'worker', 'discord', 'x', 'http', 'defaults', 'nope'];
  for (let i = 0; i < 400; i++) {
    const doc: Record<string, unknown> = {};
    for (let k = 0; k < 1 + int(4); k++)
      doc[pick(keys)] =
        r() < 0.5
          ? ANY()
          : [
              {
                name: ANY(),
                chain: pick(['megaeth', 'mainet', 7]),
                endpoints: [{ label: ANY(), url: ANY() }],
                thresholds: { stall: ANY() },
              },
            ];
    try {
      parseConfig(JSON.stringify(doc), {});
    } catch (err) {
      assert.ok(err instanceof ConfigError, `not a ConfigError: ${(err as Error).stack}`);
      assert.ok(err.issues.length > 0);
    }
  }
  for (const garbage of ['{', ': :', '- [', '\t\t', 'networks: [{{', '\u0000']) {
    assert.throws(() => parseConfig(garbage, {}), ConfigError);
  }
});
