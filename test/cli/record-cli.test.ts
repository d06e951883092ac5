import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { Replayer } from '../../src/replay/replayer';
import { startAnvil } from '../support/anvil';
import { spawnCli, writeTempConfig } from '../support/spawn-cli';

test('chainwatch record writes a timeline that chainwatch replay reads, with no endpoint URL in it', async () => {
  const anvil = await startAnvil({ blockTime: 1 });
  try {
    const config = writeTempConfig(`
networks:
  - name: local
    chainId: 31337
    blockTime: 1s
    endpoints:
      - { label: rpc-a, url: "${anvil.url}/?key=SECRET_KEY_123" }
    thresholds: { pollInterval: 250ms }
`);
    const out = join(dirname(config), 'timeline.jsonl');
    const cli = spawnCli(['record', '--out', out, '--config', config, '--duration', '3s'], { LOG_LEVEL: 'warn' });
    const deadline = Date.now() + 30_000;
    while (cli.child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(cli.child.exitCode, 0, cli.stderr());
    const text = readFileSync(out, 'utf8');
    assert.doesNotMatch(text, /SECRET_KEY_123|127\.0\.0\.1/);
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines[0].type, 'network');
    assert.deepEqual(lines[0].endpoints, ['rpc-a']);
    const heads = lines.filter((l) => l.type === 'head');
    assert.ok(heads.length >= 8, `expected about 12 polls in 3 s, got ${heads.length}`);
    assert.ok(heads.at(-1).number > heads[0].number, 'the chain advanced while recording');

    const replayer = new Replayer();
    for (const l of text.split('\n')) replayer.push(l);
    assert.deepEqual(replayer.finish(), [], 'a healthy chain replays to no incident');
    assert.deepEqual(replayer.summary.errors, []);
  } finally {
    await anvil.stop();
  }
});
