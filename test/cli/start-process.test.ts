/**
 * `chainwatch start` as a process (the real CLI, spawned): it fails fast when its HTTP port is
 * taken, and SIGTERM always ends it within a bounded time, also while it polls WebSocket
 * endpoints (anvil serves ws on its HTTP port) and one that accepted the socket but never
 * answers.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { Writable } from 'node:stream';
import { EXIT_LINGER_MS, exitAfter, SHUTDOWN_DEADLINE_MS } from '../../src/cli/start';
import { startAnvil, type Anvil } from '../support/anvil';
import { freePort } from '../support/free-port';
import { deleteKeys, REDIS_URL } from '../support/pipeline';
import { spawnCli, writeTempConfig, type CliProcess } from '../support/spawn-cli';

let anvil: Anvil;
const prefixes: string[] = [];
before(async () => {
  anvil = await startAnvil({ blockTime: 1 });
});
after(async () => {
  await anvil?.stop();
  for (const p of prefixes) await deleteKeys(p);
});

function config(endpoints: { label: string; url: string }[], http: string): string {
  const prefix = `cwtest-${randomBytes(6).toString('hex')}`;
  prefixes.push(prefix);
  return writeTempConfig(`
redis: { url: "${REDIS_URL}", prefix: ${prefix} }
http: ${http}
networks:
  - name: local
    chainId: 31337
    blockTime: 1s
    endpoints:
${endpoints.map((e) => `      - { label: ${e.label}, url: "${e.url}" }`).join('\n')}
    thresholds: { pollInterval: 500ms, requestTimeout: 1s }
`);
}

function listen(onSocket: (s: Socket) => void = () => {}): Promise<{ server: Server; port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((s) => {
    sockets.push(s);
    s.on('error', () => {});
    onSocket(s);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port, sockets })),
  );
}

function exited(cli: CliProcess, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    if (cli.child.exitCode !== null) return resolve(cli.child.exitCode);
    const timer = setTimeout(() => {
      cli.child.kill('SIGKILL');
      reject(new Error(`still running after ${timeoutMs} ms; stderr: ${cli.stderr().slice(-2000)}`));
    }, timeoutMs);
    cli.child.once('exit', (code) => (clearTimeout(timer), resolve(code)));
  });
}

test('start with its HTTP port taken: exit 1 with one line naming the address, nothing started', async () => {
  const held = await listen();
  try {
    const cli = spawnCli(['start', '--config', config([{ label: 'rpc-a', url: anvil.url }], `{ port: ${held.port} }`)], {
      LOG_LEVEL: 'info',
    });
    const code = await exited(cli, 60_000);
    assert.equal(code, 1, cli.stderr().slice(-2000));
    const human = cli
      .stderr()
      .split('\n')
      .filter((l) => !l.startsWith('{'));
    assert.deepEqual(human.filter(Boolean), [`chainwatch start: cannot listen on 127.0.0.1:${held.port}: address already in use`]);
    assert.doesNotMatch(cli.stderr(), /\n\s+at /, 'no stack trace');
    assert.doesNotMatch(cli.stderr(), /poll schedulers in place/, 'nothing was scheduled before the port was bound');
  } finally {
    held.server.close();
  }
});

/** Starts the CLI on `endpoints`, waits until every endpoint was polled, SIGTERMs it; returns the ms to exit. */
async function termWhilePolling(
  endpoints: { label: string; url: string }[],
  polled: () => boolean,
): Promise<{ ms: number; cli: CliProcess; code: number | null }> {
  const port = await freePort();
  const cli = spawnCli(['start', '--config', config(endpoints, `{ port: ${port} }`)], { LOG_LEVEL: 'info' });
  try {
    await cli.waitForOutput(/health and metrics endpoints listening/, 60_000, 'stderr');
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    let ready = '';
    while (!(ready.includes('"fresh"') && polled())) {
      if (Date.now() > deadline) throw new Error(`not polled within 30 s: readyz ${ready}; stderr ${cli.stderr().slice(-1500)}`);
      ready = await fetch(`${url}/readyz`).then(
        (r) => r.text(),
        () => '',
      );
      await new Promise((r) => setTimeout(r, 200));
    }
    const started = Date.now();
    cli.child.kill('SIGTERM');
    const code = await exited(cli, SHUTDOWN_DEADLINE_MS + 10_000);
    return { ms: Date.now() - started, cli, code };
  } catch (err) {
    cli.child.kill('SIGKILL');
    throw err;
  }
}

test('SIGTERM while polling a WebSocket endpoint: exits 0 by itself, well within the deadline', async (t) => {
  const ws = anvil.url.replace('http', 'ws');
  const { ms, cli, code } = await termWhilePolling([{ label: 'ws-a', url: ws }], () => true);
  assert.equal(code, 0, cli.stderr().slice(-1500));
  assert.ok(ms < 8000, `exited ${ms} ms after SIGTERM`);
  assert.doesNotMatch(cli.stderr(), /exiting anyway/, 'nothing held the process: it ended by itself');
  t.diagnostic(`SIGTERM → exit (ws to anvil): ${ms} ms`);
});

test('SIGTERM while a ws endpoint accepted the socket and never answers: the same', async (t) => {
  const silent = await listen((s) => s.resume());
  try {
    const ws = anvil.url.replace('http', 'ws');
    const endpoints = [
      { label: 'ws-a', url: ws },
      { label: 'ws-silent', url: `ws://127.0.0.1:${silent.port}` },
    ];
    // Two connections seen: a poll has timed out on the silence and the next one is waiting again.
    const { ms, cli, code } = await termWhilePolling(endpoints, () => silent.sockets.length >= 2);
    assert.equal(code, 0, cli.stderr().slice(-1500));
    assert.ok(ms < 8000, `exited ${ms} ms after SIGTERM`);
    assert.doesNotMatch(cli.stderr(), /exiting anyway/, 'the silent socket did not hold the process');
    t.diagnostic(`SIGTERM → exit (with a silent ws endpoint): ${ms} ms, ${silent.sockets.length} connections accepted`);
  } finally {
    for (const s of silent.sockets) s.destroy();
    silent.server.close();
  }
});

test('the hard deadline: whatever still holds the process, it exits, saying what was open', async () => {
  const lines: string[] = [];
  const log = pino({ level: 'info' }, new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
  const held = await listen();
  try {
    const exits: number[] = [];
    const started = Date.now();
    await new Promise<void>((resolve) =>
      exitAfter(150, log, 1, 'shutdown did not finish: exiting anyway', (c) => (exits.push(c), resolve())),
    );
    assert.deepEqual(exits, [1]);
    assert.ok(Date.now() - started >= 140);
    const record = JSON.parse(lines.at(-1)!) as { msg: string; open: Record<string, number> };
    assert.equal(record.msg, 'shutdown did not finish: exiting anyway');
    assert.ok((record.open.TCPServerWrap ?? 0) >= 1, `the open server is named: ${JSON.stringify(record.open)}`);
  } finally {
    held.server.close();
  }
  assert.ok(SHUTDOWN_DEADLINE_MS <= 28_000 && EXIT_LINGER_MS <= 1000, 'within the 30 s a supervisor usually waits before SIGKILL');
});
