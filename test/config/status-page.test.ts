/** The `statusPage:` key of a network: the kind from the URL or `kind:`, the JSON path, the interval, and errors naming the key. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, parseConfig } from '../../src/config';

const yaml = (statusPage: string) =>
  `networks:\n  - { name: base, chainId: 8453, blockTime: 2s, endpoints: [{ label: a, url: "http://127.0.0.1:8545" }], statusPage: ${statusPage} }\n`;
const page = (statusPage: string) => parseConfig(yaml(statusPage), {}).networks[0]!.statusPage;

function issuesOf(statusPage: string): string[] {
  try {
    parseConfig(yaml(statusPage), {});
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.issues.map((i) => `${i.path}: ${i.message}`);
  }
  return assert.fail('expected a ConfigError');
}

test('the kind from the JSON path or the host; a base URL gets the kind JSON path; every 1 min by default', () => {
  assert.deepEqual(page('https://status.base.org/api/v2/summary.json'), {
    url: 'https://status.base.org/api/v2/summary.json',
    kind: 'statuspage',
    everyMs: 60_000,
    timeoutMs: 10_000,
  });
  assert.equal(page('https://example.instatus.com')!.url, 'https://example.instatus.com/summary.json');
  assert.equal(page('https://example.instatus.com')!.kind, 'instatus');
  assert.equal(page('https://status.example.org/index.json')!.kind, 'betterstack');
  const custom = page('{ url: "https://status.example.org/", kind: betterstack, every: 30s, components: [RPC] }')!;
  assert.deepEqual(custom, {
    url: 'https://status.example.org/index.json',
    kind: 'betterstack',
    everyMs: 30_000,
    timeoutMs: 10_000,
    components: ['RPC'],
  });
  assert.equal(page('{ url: "https://s.example.org/api/v2/summary.json", every: 4s }')!.timeoutMs, 2000, 'half the interval');
});

test('bad input names the key and why, never the URL', () => {
  assert.deepEqual(issuesOf('"not a url"'), ['networks[0].statusPage: not a URL']);
  assert.deepEqual(issuesOf('"ftp://status.example.org/api/v2/summary.json"'), ['networks[0].statusPage: protocol must be http(s)']);
  const [unknown] = issuesOf('"https://status.example.org/?key=SECRET"');
  assert.match(unknown!, /^networks\[0\]\.statusPage: cannot tell which kind of status page/);
  assert.doesNotMatch(unknown!, /SECRET/);
  assert.deepEqual(issuesOf('{ url: "https://s.example.org/api/v2/summary.json", kind: instatus }'), [
    "networks[0].statusPage.kind: the URL is a statuspage page's JSON, not instatus's",
  ]);
  assert.deepEqual(issuesOf('{ url: "https://s.example.org/api/v2/summary.json", every: 2h }'), [
    'networks[0].statusPage.every: not a duration from 1s to 1h (e.g. "1m")',
  ]);
  assert.match(
    issuesOf('{ url: "https://s.example.org/api/v2/summary.json", kind: atlassian }')[0]!,
    /statusPage\.kind: must be one of statuspage, instatus, betterstack/,
  );
  assert.match(issuesOf('{ url: "https://s.example.org/api/v2/summary.json", evry: 1m }')[0]!, /statusPage/);
});
