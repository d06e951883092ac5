/**
 * Writes the example timelines in examples/ (deterministic: hashes derive from the block
 * number and fork). Run: npx tsx scripts/make-examples.ts
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';

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
function write(file: string, lines: Line[]) {
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

write('examples/megaeth-2025-03-07-halt.jsonl', megaethOutage());
write('examples/social-only.jsonl', socialOnly());
write('examples/price-talk.jsonl', priceTalk());
write('examples/provider-lagging.jsonl', providerLagging());
write('examples/reorg.jsonl', reorg());
write('examples/rpc-unreachable.jsonl', rpcUnreachable());
