/**
 * Writes the example timelines in examples/ (deterministic: hashes derive from the block
 * number and fork). Run: npx tsx scripts/make-examples.ts
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { pageStatus, type ComponentStatus } from '../test/support/fake-statuspage';

type Line = Record<string, unknown>;
const hash = (seed: string) => `0x${createHash('sha256').update(seed).digest('hex')}`;
const iso = (ms: number) => new Date(ms).toISOString();

/** A chain whose block n has a hash that depends on its fork, so a reorg changes hashes. */
class Chain {
  private forkFrom = Infinity;
  constructor(private readonly name: string) {}
  reorgFrom(n: number) {
    this.forkFrom = n;
  }
  block(n: number, ts: number) {
    const h = (k: number) => hash(`${this.name}:${k}:${k >= this.forkFrom ? 'b' : 'a'}`);
    return { number: n, hash: h(n), parentHash: h(n - 1), timestamp: Math.floor(ts / 1000) };
  }
}

function head(t: number, network: string, endpoint: string, block: ReturnType<Chain['block']>, extra: Line = {}): Line {
  return { t: iso(t), type: 'head', network, endpoint, ...block, ...extra };
}
function failure(t: number, network: string, endpoint: string, error: string, extra: Line = {}): Line {
  return { t: iso(t), type: 'rpc_error', network, endpoint, error, ...extra };
}
/** `npx tsx scripts/make-examples.ts throughput-drop`: write only the files whose names contain an argument. */
const only = process.argv.slice(2);
function write(file: string, lines: Line[]) {
  if (only.length > 0 && !only.some((o) => file.includes(o))) return;
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  console.log(`${file}: ${lines.length} lines`);
}

/**
 * 2025-03-07: a MegaETH node ran out of memory and the chain stopped for over three hours.
 * Two endpoints keep answering with the last block; one later times out while the node
 * restarts. Polled every 10 s to keep the file small (block time 1 s).
 */
function megaethOutage(): Line[] {
  const net = 'megaeth';
  const chain = new Chain(net);
  const start = Date.parse('2025-03-07T11:50:00Z');
  const halt = Date.parse('2025-03-07T12:03:01Z');
  const resume = Date.parse('2025-03-07T15:14:40Z');
  const end = Date.parse('2025-03-07T15:40:00Z');
  const blockAt = (t: number) => 1_000_000 + Math.floor((Math.min(t, halt) - start) / 1000) + Math.max(0, Math.floor((t - resume) / 1000));
  const lines: Line[] = [
    {
      type: 'network',
      name: net,
      displayName: 'MegaETH',
      chainId: 4326,
      blockTimeMs: 1000,
      endpoints: ['rpc-a', 'rpc-b'],
      pollInterval: '10s',
    },
  ];
  for (let t = start; t <= end; t += 10_000) {
    const n = blockAt(t);
    const b = chain.block(n, t >= halt && t < resume ? halt : t);
    lines.push(head(t, net, 'rpc-a', b, { latencyMs: 80 }));
    const restarting = t > halt + 20 * 60_000 && t < halt + 95 * 60_000;
    lines.push(
      restarting
        ? failure(t, net, 'rpc-b', 'timeout', { latencyMs: 2000, message: 'request timed out' })
        : head(t, net, 'rpc-b', b, { latencyMs: 95 }),
    );
    if (t === halt + 5 * 60_000)
      lines.push({
        t: iso(t + 2),
        type: 'post',
        source: 'x',
        id: '1897000000000000001',
        author: 'alice',
        text: 'megaeth rpc down? txs pending forever',
        lang: 'en',
      });
  }
  return lines;
}

/** Base-like chain (2 s blocks): provider rpc-b freezes on an old head for 5 minutes. */
function providerLagging(): Line[] {
  const net = 'base';
  const chain = new Chain(net);
  const start = Date.parse('2026-01-10T08:00:00Z');
  const freeze = start + 5 * 60_000;
  const thaw = freeze + 5 * 60_000;
  const end = thaw + 10 * 60_000;
  const lines: Line[] = [
    {
      type: 'network',
      name: net,
      displayName: 'Base',
      chainId: 8453,
      blockTimeMs: 2000,
      endpoints: ['rpc-a', 'rpc-b'],
      pollInterval: '2s',
    },
  ];
  for (let t = start; t <= end; t += 2000) {
    const n = 30_000_000 + Math.floor((t - start) / 2000);
    lines.push(head(t, net, 'rpc-a', chain.block(n, t)));
    const frozenN = 30_000_000 + Math.floor((freeze - start) / 2000);
    const bn = t >= freeze && t < thaw ? frozenN : n;
    lines.push(head(t, net, 'rpc-b', chain.block(bn, t >= freeze && t < thaw ? freeze : t)));
  }
  return lines;
}

/** A reorg replacing the two newest known blocks (depth 2) at the same height, as anvil_reorg makes; the poller fetched the ancestors. */
function reorg(): Line[] {
  const net = 'op-devnet';
  const chain = new Chain(net);
  const start = Date.parse('2026-02-01T00:00:00Z');
  const lines: Line[] = [
    { type: 'network', name: net, blockTimeMs: 2000, endpoints: ['rpc-a'], pollInterval: '2s', resolveAfter: '2m', confirm: '30s' },
  ];
  for (let i = 0; i <= 200; i++) {
    const t = start + i * 2000;
    const n = 5000 + i;
    if (i === 100) {
      chain.reorgFrom(n - 2);
      const ancestors = [chain.block(n - 1, t - 2000), chain.block(n - 2, t - 4000), chain.block(n - 3, t - 6000)];
      lines.push(head(t, net, 'rpc-a', chain.block(n, t), { ancestors }));
      continue;
    }
    lines.push(head(t, net, 'rpc-a', chain.block(n, t)));
  }
  return lines;
}

/** Every endpoint fails for 3 minutes (timeouts and 503s), then answers again. */
function rpcUnreachable(): Line[] {
  const net = 'ethereum';
  const chain = new Chain(net);
  const start = Date.parse('2026-03-01T10:00:00Z');
  const down = start + 3 * 60_000;
  const up = down + 3 * 60_000;
  const end = up + 8 * 60_000;
  const lines: Line[] = [
    {
      type: 'network',
      name: net,
      displayName: 'Ethereum',
      chainId: 1,
      blockTimeMs: 12000,
      endpoints: ['publicnode', 'drpc'],
      pollInterval: '4s',
      stall: '60s',
    },
  ];
  for (let t = start; t <= end; t += 4000) {
    const b = chain.block(20_000_000 + Math.floor((t - start) / 12_000), t);
    const failing = t >= down && t < up;
    lines.push(
      failing ? failure(t, net, 'publicnode', 'timeout', { latencyMs: 8000, message: 'request timed out' }) : head(t, net, 'publicnode', b),
    );
    lines.push(failing ? failure(t, net, 'drpc', 'http', { status: 503, message: 'HTTP 503' }) : head(t, net, 'drpc', b));
  }
  return lines;
}

/**
 * The chain looks fine from here (both endpoints advance), but people in several languages
 * report that MegaETH is down: maybe the public RPC others use is failing. Opens a suspected
 * incident that clears once the reports stop.
 */
function socialOnly(): Line[] {
  const net = 'megaeth';
  const chain = new Chain(net);
  const start = Date.parse('2026-04-02T09:00:00Z');
  const end = start + 40 * 60_000;
  const reports = [
    ['alice', 'en', 'is megaeth down? rpc not responding for me'],
    ['kenji', 'ja', 'MegaETHのRPCが繋がらない、ダウンしてる？'],
    ['wei', 'zh', 'MegaETH 节点宕机了吗？交易一直卡住'],
    ['minsu', 'ko', 'MegaETH 먹통이네요 트랜잭션이 안 나가요'],
    ['lucia', 'es', 'MegaETH está caído? no puedo enviar transacciones'],
    ['bob', 'en', 'megaeth txs pending forever, anyone else?'],
  ];
  const lines: Line[] = [
    {
      type: 'network',
      name: net,
      displayName: 'MegaETH',
      chainId: 4326,
      blockTimeMs: 1000,
      endpoints: ['rpc-a', 'rpc-b'],
      pollInterval: '5s',
      resolveAfter: '5m',
    },
  ];
  let posted = 0;
  for (let t = start; t <= end; t += 5000) {
    const n = 2_000_000 + Math.floor((t - start) / 1000);
    for (const ep of ['rpc-a', 'rpc-b']) lines.push(head(t, net, ep, chain.block(n, t)));
    const due = start + 10 * 60_000 + posted * 45_000;
    if (posted < reports.length && t >= due) {
      const [author, lang, text] = reports[posted]!;
      lines.push({
        t: iso(t + 1),
        type: 'post',
        source: 'x',
        id: `19000000000000000${posted}`,
        author,
        lang,
        text,
        url: `https://x.com/${author}/status/19000000000000000${posted}`,
      });
      posted++;
    }
  }
  return lines;
}

/** A price crash: many authors, many languages, all about the price. Opens nothing. */
function priceTalk(): Line[] {
  const net = 'megaeth';
  const chain = new Chain(net);
  const start = Date.parse('2026-05-01T14:00:00Z');
  const texts = [
    ['en', 'MEGA down 18% today, brutal'],
    ['en', '$MEGA dumping hard, down bad'],
    ['ja', 'MegaETHの価格が暴落、下落が止まらない'],
    ['zh', 'MegaETH 暴跌 20%，跌了好多'],
    ['ko', 'MegaETH 폭락 실화냐'],
    ['es', 'MegaETH bajó un 15% hoy'],
    ['pt', 'MegaETH caiu 12% hoje'],
    ['ru', 'MegaETH упал на 10% за день'],
    ['tr', 'MegaETH %9 düştü'],
    ['en', "i'm down to buy more megaeth at this price"],
  ];
  const lines: Line[] = [
    {
      type: 'network',
      name: net,
      displayName: 'MegaETH',
      chainId: 4326,
      blockTimeMs: 1000,
      endpoints: ['rpc-a', 'rpc-b'],
      pollInterval: '5s',
    },
  ];
  for (let i = 0; i <= 240; i++) {
    const t = start + i * 5000;
    const n = 3_000_000 + i * 5;
    for (const ep of ['rpc-a', 'rpc-b']) lines.push(head(t, net, ep, chain.block(n, t)));
    if (i >= 60 && i < 60 + texts.length * 2) {
      const [lang, text] = texts[(i - 60) % texts.length]!;
      lines.push({ t: iso(t + 1), type: 'post', source: 'x', id: `1910000000000000${i}`, author: `trader${i}`, lang, text });
    }
  }
  return lines;
}

/**
 * chainwatch's own host loses its connectivity (DNS fails): every endpoint of three networks
 * stops answering in the same second for three minutes, then answers again. No network had an
 * outage: no incident opens. Then two networks' providers stop answering for five minutes
 * while the third stays healthy: chainwatch can still see, so those are two real outages.
 */
function watcherBlind(): Line[] {
  const nets = ['alpha', 'beta', 'gamma'];
  const chains = new Map(nets.map((n) => [n, new Chain(n)]));
  const start = Date.parse('2026-11-20T10:00:00Z');
  const blindFrom = start + 5 * 60_000;
  const blindTo = blindFrom + 3 * 60_000;
  const rpcFrom = blindTo + 10 * 60_000;
  const rpcTo = rpcFrom + 5 * 60_000;
  const end = rpcTo + 10 * 60_000;
  const lines: Line[] = nets.map((name) => ({
    type: 'network',
    name,
    chainId: 100 + nets.indexOf(name),
    blockTimeMs: 2000,
    endpoints: ['rpc-a', 'rpc-b'],
    pollInterval: '2s',
  }));
  for (let t = start; t <= end; t += 2000) {
    for (const net of nets) {
      const blind = t >= blindFrom && t < blindTo;
      const providerDown = t >= rpcFrom && t < rpcTo && net !== 'gamma';
      const b = chains.get(net)!.block(500_000 + Math.floor((t - start) / 2000), t);
      for (const ep of ['rpc-a', 'rpc-b']) {
        if (blind) lines.push(failure(t, net, ep, 'unreachable', { latencyMs: 3, message: 'getaddrinfo ENOTFOUND' }));
        else if (providerDown) lines.push(failure(t, net, ep, 'timeout', { latencyMs: 2000, message: 'request timed out' }));
        else lines.push(head(t, net, ep, b, { latencyMs: 60 }));
      }
    }
  }
  return lines;
}

/**
 * Issue 13's cold start: a healthy chain, a fresh chainwatch (nothing learnt yet), and a
 * price crash: 150 posts in ten minutes from 150 authors in ten languages, three of which the
 * classifier misreads as outage reports. Three reporters used to be enough on a fresh start;
 * 3 of 150 posts is no rise in the share of reports, so nothing opens.
 */
function priceCrashBurst(): Line[] {
  const net = 'megaeth';
  const chain = new Chain(net);
  const start = Date.parse('2026-06-10T16:00:00Z');
  const price: [string, string][] = [
    ['en', 'MEGA down {n}% today, brutal'],
    ['en', '$MEGA dumping hard, down bad'],
    ['en', 'megaeth lost a third of its value this week'],
    ['en', 'megaeth chart bleeding all day'],
    ['en', 'megaeth down {n}% and i keep buying the dip'],
    ['en', 'megaeth capitulation candle, -{n}% from ath'],
    ['ja', 'MegaETHの価格が暴落、下落が止まらない'],
    ['zh', 'MegaETH 暴跌 {n}%，跌了好多'],
    ['ko', 'MegaETH 가격 {n}% 하락'],
    ['es', 'MegaETH bajó un {n}% hoy'],
    ['es', 'el mercado de MegaETH colapsó, -{n}%'],
    ['pt', 'MegaETH despencou {n}% hoje, mercado em pânico'],
    ['ru', 'курс MegaETH рухнул на {n}%'],
    ['tr', 'MegaETH değerinin üçte birini kaybetti'],
    ['tr', 'MegaETH %{n} düştü'],
    ['de', 'MegaETH Kurs bricht ein, minus {n} Prozent'],
    ['fr', "MegaETH en chute de {n}% aujourd'hui"],
    ['vi', 'MegaETH giảm giá {n}% hôm nay'],
  ];
  // What the classifier reads as reports (see test/replay/examples.test.ts), spread over the burst.
  const misread: Record<number, string> = {
    20: 'megaeth chart is broken lol, straight down',
    70: 'megaeth network effect is gone, token halted at the lows',
    120: 'MegaETH broke support, free fall, it is down',
  };
  const lines: Line[] = [
    {
      type: 'network',
      name: net,
      displayName: 'MegaETH',
      chainId: 4326,
      blockTimeMs: 1000,
      endpoints: ['rpc-a', 'rpc-b'],
      pollInterval: '5s',
    },
  ];
  let p = 0;
  for (let i = 0; i <= 240; i++) {
    const t = start + i * 5000;
    const n = 4_000_000 + i * 5;
    for (const ep of ['rpc-a', 'rpc-b']) lines.push(head(t, net, ep, chain.block(n, t)));
    // 150 posts between minute 5 and minute 15, one every 4 s.
    for (let k = 0; k < 5 && p < 150; k++) {
      const at = t + k * 1000 + 1;
      if (at < start + 5 * 60_000 || at % 4000 !== 1) continue;
      const [lang, text] = misread[p] ? ['en', misread[p]!] : price[p % price.length]!;
      lines.push({
        t: iso(at),
        type: 'post',
        source: 'x',
        id: `19200000000000${String(p).padStart(5, '0')}`,
        author: `holder${p}`,
        lang,
        text: text.replace('{n}', String(10 + ((p * 7) % 31))),
      });
      p++;
    }
  }
  return lines;
}

/**
 * Reports with no outage word, in three languages: the latest block minutes old, an endpoint
 * gone quiet, "no reaction". chainwatch's own providers keep advancing (people use a public RPC
 * and explorer that are stuck), so the reports alone open a suspected incident among ordinary
 * chatter about the network, and it resolves once they stop.
 */
function keywordlessReports(): Line[] {
  const net = 'megaeth';
  const chain = new Chain(net);
  const start = Date.parse('2026-06-12T08:00:00Z');
  const end = start + 40 * 60_000;
  const posts: [number, string, string, string][] = [
    [2, 'ana', 'en', 'gm megaeth fam'],
    [4, 'kai', 'ja', 'MegaETHのガス代安いね'],
    [6, 'oleg', 'ru', 'кто-нибудь пробовал новый кошелёк для MegaETH?'],
    [8, 'sam', 'en', 'deploying my first contract on megaeth today'],
    [10, 'dan', 'en', 'MegaETH realtime endpoint has gone quiet, no miniblocks for 12 minutes'],
    [11, 'yuki', 'ja', 'MegaETH、最後のブロックが13分前。反応がない'],
    [12, 'ivan', 'ru', 'MegaETH: последний блок 12 минут назад, eth_blockNumber возвращает одно и то же'],
    [13, 'lee', 'en', 'megaeth explorer: latest block 14 min ago. eth_blockNumber returns 0x1e8480 every time'],
  ];
  const lines: Line[] = [
    {
      type: 'network',
      name: net,
      displayName: 'MegaETH',
      chainId: 4326,
      blockTimeMs: 1000,
      endpoints: ['rpc-a', 'rpc-b'],
      pollInterval: '5s',
      resolveAfter: '5m',
    },
  ];
  let next = 0;
  for (let t = start; t <= end; t += 5000) {
    const n = 5_000_000 + Math.floor((t - start) / 1000);
    for (const ep of ['rpc-a', 'rpc-b']) lines.push(head(t, net, ep, chain.block(n, t)));
    while (next < posts.length && t >= start + posts[next]![0] * 60_000) {
      const [, author, lang, text] = posts[next]!;
      const id = `19300000000000000${next}`;
      lines.push({ t: iso(t + 1), type: 'post', source: 'x', id, author, lang, text, url: `https://x.com/${author}/status/${id}` });
      next++;
    }
  }
  return lines;
}

type PageComponent = { name: string; status: ComponentStatus };
type PageIncident = {
  name: string;
  status: string;
  impact: string;
  since: number;
  updates: [number, string, string][];
  components: string[];
};

/**
 * One Atlassian Statuspage `/api/v2/summary.json` body (the fields chainwatch reads, in the
 * real shape: test/support/fake-statuspage.ts documents it): components, unresolved incidents
 * with their updates newest first, no scheduled maintenance.
 */
function summaryJson(name: string, t: number, components: PageComponent[], incidents: PageIncident[]): Line {
  const id = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 12);
  return {
    page: {
      id: id(name),
      name,
      url: `https://status.${name.toLowerCase().replace(/\W+/g, '')}.example`,
      time_zone: 'Etc/UTC',
      updated_at: iso(t),
    },
    // The indicator as Statuspage blends it, by the fake page's rule.
    status: pageStatus(components.map((c) => c.status)),
    components: components.map((c, i) => ({
      id: id(`${name}:${c.name}`),
      name: c.name,
      status: c.status,
      position: i + 1,
      group_id: null,
      group: false,
      only_show_if_degraded: false,
    })),
    incidents: incidents.map((inc) => ({
      id: id(`${name}:${inc.name}`),
      name: inc.name,
      status: inc.status,
      impact: inc.impact,
      created_at: iso(inc.since),
      started_at: iso(inc.since),
      updated_at: iso(inc.updates[0]![0]),
      shortlink: `https://stspg.io/${id(inc.name).slice(0, 6)}`,
      incident_updates: inc.updates.map(([at, status, body]) => ({
        id: id(`${inc.name}:${at}`),
        status,
        body,
        created_at: iso(at),
        display_at: iso(at),
      })),
      components: components
        .filter((c) => inc.components.includes(c.name))
        .map((c) => ({ id: id(`${name}:${c.name}`), name: c.name, status: c.status })),
    })),
    scheduled_maintenances: [],
  };
}

/**
 * The official status page as evidence, two networks in one file. Base halts at 12:05; its
 * status page says nothing until 12:21 ("Investigating"), so the resolved message says how long
 * before the page chainwatch knew. One read of Base's page times out (the last page read stands
 * in). OP Mainnet's blocks never stop, but its page shows the RPC degraded with an incident:
 * the page alone opens a suspected incident, which resolves once the page clears.
 */
function officialStatusPage(): Line[] {
  const start = Date.parse('2026-09-15T12:00:00Z');
  const end = Date.parse('2026-09-15T13:10:00Z');
  const halt = Date.parse('2026-09-15T12:05:00Z');
  const resume = Date.parse('2026-09-15T12:45:00Z');
  const min = (m: number) => start + m * 60_000;
  const base = new Chain('base');
  const op = new Chain('optimism');
  const lines: Line[] = [
    {
      type: 'network',
      name: 'base',
      displayName: 'Base',
      chainId: 8453,
      blockTimeMs: 2000,
      endpoints: ['rpc-a', 'rpc-b'],
      pollInterval: '10s',
      stall: '20s',
      resolveAfter: '5m',
    },
    {
      type: 'network',
      name: 'optimism',
      displayName: 'OP Mainnet',
      chainId: 10,
      blockTimeMs: 2000,
      endpoints: ['rpc-a', 'rpc-b'],
      pollInterval: '10s',
      resolveAfter: '5m',
    },
  ];
  const baseIncident = (t: number): PageIncident[] => {
    const updates: [number, string, string][] = [
      [min(21), 'investigating', 'We are investigating delayed block production on Base mainnet.'],
    ];
    if (t >= min(30))
      updates.unshift([min(30), 'identified', 'The issue has been identified as a sequencer fault and a fix is being rolled out.']);
    if (t >= min(46)) updates.unshift([min(46), 'monitoring', 'Blocks are being produced again. We are monitoring the network.']);
    if (t < min(21) || t >= min(55)) return [];
    return [
      { name: 'Delayed block production', status: updates[0]![1], impact: 'major', since: min(21), updates, components: ['Sequencer'] },
    ];
  };
  const opIncident = (t: number): PageIncident[] =>
    t >= min(10) && t < min(30)
      ? [
          {
            name: 'Elevated RPC error rates',
            status: 'investigating',
            impact: 'minor',
            since: min(10),
            updates: [[min(10), 'investigating', 'Some users see errors from the public RPC endpoint. We are investigating.']],
            components: ['Public RPC'],
          },
        ]
      : [];
  for (let t = start; t <= end; t += 10_000) {
    const baseBlock = 30_000_000 + Math.floor((Math.min(t, halt) - start) / 2000) + Math.max(0, Math.floor((t - resume) / 2000));
    const b = base.block(baseBlock, t >= halt && t < resume ? halt : t);
    const o = op.block(140_000_000 + Math.floor((t - start) / 2000), t);
    for (const ep of ['rpc-a', 'rpc-b']) lines.push(head(t, 'base', ep, b, { latencyMs: 90 }));
    for (const ep of ['rpc-a', 'rpc-b']) lines.push(head(t, 'optimism', ep, o, { latencyMs: 85 }));
    if ((t - start) % 60_000 !== 0) continue;
    const readAt = t + 5000;
    if (t === min(35)) {
      lines.push({ t: iso(readAt), type: 'status_page', network: 'base', error: 'timeout', message: 'no answer within 10 s' });
    } else {
      const seq = t >= min(21) && t < min(46) ? 'major_outage' : 'operational';
      lines.push({
        t: iso(readAt),
        type: 'status_page',
        network: 'base',
        every: '1m',
        components: ['Sequencer', 'Public RPC'],
        body: summaryJson(
          'Base',
          readAt,
          [
            { name: 'Sequencer', status: seq },
            { name: 'Public RPC', status: 'operational' },
            { name: 'Bridge', status: 'operational' },
          ],
          baseIncident(t),
        ),
      });
    }
    const rpc = t >= min(10) && t < min(30) ? 'degraded_performance' : 'operational';
    lines.push({
      t: iso(readAt + 1),
      type: 'status_page',
      network: 'optimism',
      every: '1m',
      body: summaryJson(
        'OP Mainnet',
        readAt + 1,
        [
          { name: 'Sequencer', status: 'operational' },
          { name: 'Public RPC', status: rpc },
        ],
        opIncident(t),
      ),
    });
  }
  return lines;
}

write('examples/megaeth-2025-03-07-halt.jsonl', megaethOutage());
write('examples/social-only.jsonl', socialOnly());
write('examples/price-talk.jsonl', priceTalk());
write('examples/provider-lagging.jsonl', providerLagging());
write('examples/reorg.jsonl', reorg());
write('examples/rpc-unreachable.jsonl', rpcUnreachable());
write('examples/price-crash-burst.jsonl', priceCrashBurst());
write('examples/keywordless-reports.jsonl', keywordlessReports());
write('examples/watcher-blind.jsonl', watcherBlind());
write('examples/official-status-page.jsonl', officialStatusPage());

/** mulberry32: a seeded PRNG, so the learnt-threshold examples are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The head of a chain with blocks at `blockTimes` (ms, ascending) as seen by a poll at t. */
function headAt(blockTimes: number[], t: number, from: { i: number }): number {
  while (from.i + 1 < blockTimes.length && blockTimes[from.i + 1]! <= t) from.i++;
  return from.i;
}

/**
 * A very regular 1 s chain polled every second (answers 100-200 ms after each block) for
 * 55 minutes, so chainwatch has learnt its rhythm (3,300 advances), then halts for two
 * minutes. Learnt stall: the floor (2 blocks + 1 poll = 3 s) instead of the default 10 s.
 */
function regularHalt(): Line[] {
  const net = 'steady';
  const chain = new Chain(net);
  const rand = prng(1);
  const start = Date.parse('2026-05-01T10:00:00Z');
  const halt = start + 55 * 60_000;
  const resume = halt + 120_000;
  const end = resume + 7 * 60_000;
  const blocks: number[] = [];
  for (let t = start; t <= end; t += 1000) if (t <= halt || t >= resume) blocks.push(t);
  const lines: Line[] = [{ type: 'network', name: net, displayName: 'Steady', chainId: 7001, blockTimeMs: 1000, endpoints: ['rpc-a'] }];
  const cursor = { i: 0 };
  for (let poll = start + 150; poll <= end; poll += 1000) {
    const t = poll + Math.round((rand() - 0.5) * 100);
    const i = headAt(blocks, t, cursor);
    lines.push(head(t, net, 'rpc-a', chain.block(1_000 + i, blocks[i]!)));
  }
  return lines;
}

/**
 * A 2 s chain whose blocks now and then (1 in 150) take 12-18 s as its normal rhythm, for
 * three hours, polled every 2 s. The first slow block comes after 12 minutes of regular ones.
 */
function irregularRhythm(): Line[] {
  const net = 'lumpy';
  const chain = new Chain(net);
  const rand = prng(2);
  const start = Date.parse('2026-05-02T08:00:00Z');
  const end = start + 3 * 3_600_000;
  const blocks: number[] = [];
  let long = 0;
  for (let t = start; t <= end;) {
    blocks.push(t);
    const slow = t >= start + 12 * 60_000 && rand() < 1 / 150;
    if (slow) long++;
    t += slow ? 12_000 + Math.round(rand() * 6_000) : 2_000;
  }
  const lines: Line[] = [{ type: 'network', name: net, displayName: 'Lumpy', chainId: 7002, blockTimeMs: 2000, endpoints: ['rpc-a'] }];
  const cursor = { i: 0 };
  for (let poll = start + 300; poll <= end; poll += 2000) {
    const t = poll + Math.round((rand() - 0.5) * 200);
    const i = headAt(blocks, t, cursor);
    lines.push(head(t, net, 'rpc-a', chain.block(5_000 + i, blocks[i]!)));
  }
  console.log(`irregular-2s-rhythm: ${long} blocks of 12-18 s`);
  return lines;
}

/**
 * Two OP-stack-like 2 s chains (every block carries one system transaction), polled every
 * 2 s. "busy" carries about 40 user transactions a block: 25 min usual, 15 min of a quiet
 * spell at half the rate (not an outage), 10 min usual, then 10 min at a fifth of the rate,
 * 5 min of blocks with only the system transaction, and recovery. "quiet" carries 0-3 user
 * transactions a block and goes to none at the same times: never an incident.
 */
function throughputDrop(): Line[] {
  const rand = prng(3);
  const start = Date.parse('2026-01-31T14:00:00Z');
  const min = 60_000;
  const phases: [number, number][] = [
    [25, 1],
    [15, 0.5],
    [10, 1],
    [10, 0.2],
    [5, 0],
    [20, 1],
  ];
  const end = start + phases.reduce((a, [m]) => a + m, 0) * min;
  const factorAt = (t: number) => {
    let from = start;
    for (const [m, f] of phases) {
      if (t < from + m * min) return f;
      from += m * min;
    }
    return 1;
  };
  // Negative-binomial-ish user counts: a gamma-mixed Poisson (shape 5) by Knuth's method on small means.
  const poissonDraw = (mean: number) => {
    if (mean <= 0) return 0;
    if (mean > 60)
      return Math.max(
        0,
        Math.round(mean + Math.sqrt(mean) * Math.sqrt(-2 * Math.log(Math.max(rand(), 1e-12))) * Math.cos(2 * Math.PI * rand())),
      );
    let k = 0;
    let p = 1;
    const l = Math.exp(-mean);
    for (;;) {
      p *= rand();
      if (p <= l) return k;
      k++;
    }
  };
  const gammaShape5 = () => {
    let x = 0;
    for (let i = 0; i < 5; i++) x -= Math.log(Math.max(rand(), 1e-12));
    return x / 5;
  };
  const nets = [
    { name: 'busy', usual: 40, chain: new Chain('busy'), first: 20_000_000 },
    { name: 'quiet', usual: 1.2, chain: new Chain('quiet'), first: 30_000_000 },
  ];
  const lines: Line[] = nets.map((n, i) => ({
    type: 'network',
    name: n.name,
    displayName: n.name === 'busy' ? 'Busy' : 'Quiet',
    chainId: 7100 + i,
    blockTimeMs: 2000,
    endpoints: ['rpc-a'],
  }));
  for (let poll = start + 400; poll <= end; poll += 2000) {
    const n = Math.floor((poll - start) / 2000);
    const f = factorAt(poll);
    for (const net of nets) {
      const user = poissonDraw(net.usual * f * gammaShape5());
      const txCount = 1 + user;
      lines.push(
        head(poll, net.name, 'rpc-a', net.chain.block(net.first + n, start + n * 2000), { txCount, gasUsed: 50_000 + 60_000 * user }),
      );
    }
  }
  return lines;
}

write('examples/regular-1s-halt.jsonl', regularHalt());
write('examples/irregular-2s-rhythm.jsonl', irregularRhythm());
write('examples/throughput-drop.jsonl', throughputDrop());
