/**
 * Builds data/classifier/corpus.jsonl, the classifier's labelled corpus, from
 *
 *  - data/classifier/written/<lang>.txt: posts written by hand, one per line
 *    (`label|network|category|text`, label `+` = outage report, `-` = not one), source "written";
 *  - scripts/classifier/templates.ts: hand-written frames with slots, each expanded a few
 *    times by a seeded generator, source "template:<id>.<frame>".
 *
 * Deterministic: the same inputs give the same file, byte for byte (mulberry32, fixed seed,
 * no clock). Run: npx tsx scripts/classifier/make-corpus.ts [--check]
 * (--check: build in memory and fail if the file on disk differs).
 *
 * It also guards the check set (data/classifier/check.jsonl, written before any training and
 * never used for tuning): a corpus line equal to a check post fails the build, and one that
 * is nearly the same (character-trigram Jaccard ≥ 0.6) is reported.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPLATES, type Template } from './templates';
import { CATEGORIES, LANGS, NETWORK_CODES, type CorpusLine } from './lib';

const ROOT = join(import.meta.dirname, '../..');
const WRITTEN = join(ROOT, 'data/classifier/written');
const OUT = join(ROOT, 'data/classifier/corpus.jsonl');
const CHECK = join(ROOT, 'data/classifier/check.jsonl');
const SEED = 0x13c0ffee;
/** Fillings per template frame: four for the numeric frames, three for the plain ones. */
const EXPANSIONS = 4;
const PLAIN_EXPANSIONS = 3;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function parseWritten(lang: string, text: string): CorpusLine[] {
  const out: CorpusLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line.length === 0 || line.startsWith('#')) return;
    const parts = line.split('|');
    if (parts.length < 4) throw new Error(`${lang}.txt:${i + 1}: expected label|network|category|text`);
    const [label, net, category] = parts as [string, string, string];
    const body = parts.slice(3).join('|').trim();
    if (label !== '+' && label !== '-') throw new Error(`${lang}.txt:${i + 1}: label must be + or -`);
    if (!(net in NETWORK_CODES)) throw new Error(`${lang}.txt:${i + 1}: unknown network ${net}`);
    if (!CATEGORIES.includes(category)) throw new Error(`${lang}.txt:${i + 1}: unknown category ${category}`);
    if ((label === '+') !== !category.startsWith('neg-'))
      throw new Error(`${lang}.txt:${i + 1}: label ${label} does not fit category ${category}`);
    out.push({ text: body, lang, outage: label === '+', network: NETWORK_CODES[net] ?? null, category, source: 'written' });
  });
  return out;
}

type Net = 'ethereum' | 'base' | 'arbitrum' | 'optimism' | 'megaeth';
const NETS: readonly Net[] = ['ethereum', 'base', 'arbitrum', 'optimism', 'megaeth'];
const LATIN_NAMES: Record<Net, string[]> = {
  ethereum: ['Ethereum', 'ethereum', 'ETH'],
  base: ['Base', 'base'],
  arbitrum: ['Arbitrum', 'arbitrum', 'Arbitrum One'],
  optimism: ['Optimism', 'optimism', 'OP Mainnet'],
  megaeth: ['MegaETH', 'megaeth'],
};
const NAMES: Record<string, Record<Net, string[]>> = {
  en: {
    ethereum: ['Ethereum', 'ethereum', 'ETH mainnet', 'Ethereum mainnet', '@ethereum', 'eth'],
    base: ['Base', 'base', '@base', 'Base chain', 'BASE'],
    arbitrum: ['Arbitrum', 'arbitrum', 'Arbitrum One', 'arb', '@arbitrum'],
    optimism: ['Optimism', 'optimism', 'OP Mainnet', 'op mainnet', '@optimism'],
    megaeth: ['MegaETH', 'megaeth', 'Mega ETH', '@megaeth', 'MEGAETH'],
  },
  ja: {
    ethereum: ['イーサリアム', 'Ethereum', 'ETH'],
    base: ['Base', 'ベースチェーン', 'base'],
    arbitrum: ['アービトラム', 'Arbitrum', 'arb'],
    optimism: ['オプティミズム', 'Optimism', 'OP Mainnet'],
    megaeth: ['メガイーサ', 'MegaETH', 'megaeth'],
  },
  zh: {
    ethereum: ['以太坊', 'Ethereum', 'ETH'],
    base: ['Base', 'base'],
    arbitrum: ['Arbitrum', 'arb', '阿比特龙'],
    optimism: ['Optimism', 'OP主网', 'OP'],
    megaeth: ['MegaETH', 'megaeth'],
  },
  ko: {
    ethereum: ['이더리움', 'Ethereum'],
    base: ['베이스', 'Base'],
    arbitrum: ['아비트럼', 'Arbitrum'],
    optimism: ['옵티미즘', 'Optimism', 'OP Mainnet'],
    megaeth: ['메가이더', 'MegaETH'],
  },
  ru: {
    ethereum: ['Эфириум', 'Ethereum', 'эфир'],
    base: ['Base', 'base'],
    arbitrum: ['Arbitrum', 'Арбитрум'],
    optimism: ['Optimism', 'Оптимизм', 'OP Mainnet'],
    megaeth: ['MegaETH', 'megaeth', 'МегаЭфир'],
  },
};
const EXPLORERS: Record<Net, string[]> = {
  ethereum: ['etherscan', 'Etherscan', 'etherscan.io', 'eth.blockscout.com'],
  base: ['basescan', 'Basescan', 'basescan.org', 'base.blockscout.com'],
  arbitrum: ['arbiscan', 'Arbiscan', 'arbiscan.io'],
  optimism: ['optimistic.etherscan.io', 'optimism.blockscout.com'],
  megaeth: ['megaeth.blockscout.com', 'mega.etherscan.io', 'megaexplorer.xyz'],
};
const TICKERS: Partial<Record<Net, string>> = { ethereum: 'ETH', arbitrum: 'ARB', optimism: 'OP', megaeth: 'MEGA' };
const OTHERS = [
  'Solana',
  'solana',
  'Polygon',
  'BSC',
  'Avalanche',
  'zkSync',
  'Sepolia',
  'Base Sepolia',
  'Arbitrum Nova',
  'Starknet',
  'Bitcoin',
];
const MINUTES = [5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 17, 18, 20, 22, 25, 28, 30, 35, 40, 45, 50, 60, 75, 90];
const EMOJI = ['', '', '', '', ' 👀', ' 🤔', ' 😅', ' 🙃', ' lol', ' !!', ' ??'];
const THOUSANDS: Record<string, string> = {
  en: ',',
  ja: ',',
  zh: ',',
  ko: ',',
  es: '.',
  pt: '.',
  de: '.',
  tr: '.',
  vi: '.',
  fr: ' ',
  ru: ' ',
};
const LOWERCASE_LANGS = new Set(['en', 'es', 'pt', 'fr', 'de', 'tr', 'vi']);

function expand(tpl: Template, frame: string, rnd: () => number): { text: string; network: string | null } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const needsNet = /\{(?:NET|EXPL|TICK)\}/.test(frame);
  const net: Net | null = needsNet ? pick(frame.includes('{TICK}') ? NETS.filter((n) => TICKERS[n]) : NETS) : null;
  const min = pick(MINUTES);
  const t1 = Math.floor(rnd() * (24 * 60 - min - 1));
  const clock = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const blockN = 1_000_000 + Math.floor(rnd() * 400_000_000);
  const sep = THOUSANDS[tpl.lang] ?? ',';
  const block = rnd() < 0.7 ? blockN.toLocaleString('en-US').replace(/,/g, sep) : String(blockN);
  const all = (NAMES[tpl.lang] ?? LATIN_NAMES)[net ?? 'ethereum'];
  // A ticker with a bare "down" is market talk by the classifier's convention ("$ARB down?"):
  // reports name the network, so tickers ("ETH", "arb", "OP") only fill the non-report frames.
  const names = tpl.outage ? all.filter((n) => !isTicker(n)) : all;
  let text = frame
    .replace(/\{NET\}/g, () => pick(names))
    .replace(/\{EXPL\}/g, () => pick(EXPLORERS[net ?? 'ethereum']))
    .replace(/\{TICK\}/g, () => TICKERS[net ?? 'ethereum'] ?? 'ETH')
    .replace(/\{OTHER\}/g, () => pick(OTHERS))
    .replace(/\{MIN\}/g, String(min))
    .replace(/\{SEC\}/g, () => String(1 + Math.floor(rnd() * 12)))
    .replace(/\{HRS\}/g, () => String(2 + Math.floor(rnd() * 8)))
    .replace(/\{PCT\}/g, () => String(5 + Math.floor(rnd() * 56)))
    .replace(/\{BLOCK\}/g, block)
    .replace(/\{HEX\}/g, `0x${(20_000_000 + Math.floor(rnd() * 30_000_000)).toString(16)}`)
    .replace(/\{T1\}/g, clock(t1))
    .replace(/\{T2\}/g, clock(t1 + min))
    .replace(/\{E\}/g, () => pick(EMOJI));
  if (LOWERCASE_LANGS.has(tpl.lang) && rnd() < 0.3) text = text.toLowerCase();
  if (rnd() < 0.06) text = `@${pick(['degen', 'anon', 'gm_fren', 'node_op', 'cryptokid', 'dev'])}${Math.floor(rnd() * 900 + 100)} ${text}`;
  return { text: text.trim(), network: net };
}

function isTicker(name: string): boolean {
  return name.startsWith('$') || /^[A-Za-z]{2,3}$/.test(name) || /^[A-Z]{2,5}$/.test(name);
}

function dedupeKey(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

function trigrams(s: string): Set<string> {
  const t = ` ${dedupeKey(s)} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= t.length; i++) out.add(t.slice(i, i + 3));
  return out;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter || 1);
}

export function buildCorpus(): { lines: CorpusLine[]; nearCheck: string[] } {
  const lines: CorpusLine[] = [];
  const seen = new Set<string>();
  const add = (l: CorpusLine) => {
    const k = dedupeKey(l.text);
    if (seen.has(k)) return false;
    seen.add(k);
    lines.push(l);
    return true;
  };
  for (const lang of LANGS) {
    for (const l of parseWritten(lang, readFileSync(join(WRITTEN, `${lang}.txt`), 'utf8'))) {
      if (!add(l)) throw new Error(`${lang}.txt: duplicate post: ${l.text}`);
    }
    const rnd = mulberry32(SEED ^ ((LANGS.indexOf(lang) + 1) * 0x9e3779b1));
    for (const tpl of TEMPLATES.filter((x) => x.lang === lang)) {
      if (!CATEGORIES.includes(tpl.category)) throw new Error(`template ${tpl.id}: unknown category ${tpl.category}`);
      const want = tpl.id.includes('-plain') ? PLAIN_EXPANSIONS : EXPANSIONS;
      tpl.frames.forEach((raw, f) => {
        // "[neg-promo] …": a frame whose category differs from its template's.
        const tagged = /^\[([a-z-]+)\]\s*/.exec(raw);
        const category = tagged ? tagged[1]! : tpl.category;
        const frame = tagged ? raw.slice(tagged[0].length) : raw;
        if (!CATEGORIES.includes(category) || category.startsWith('neg-') === tpl.outage)
          throw new Error(`template ${tpl.id}: bad category ${category}`);
        let made = 0;
        for (let attempt = 0; attempt < want * 3 && made < want; attempt++) {
          const { text, network } = expand(tpl, frame, rnd);
          if (add({ text, lang, outage: tpl.outage, network, category, source: `template:${tpl.id}.${f + 1}` })) made++;
        }
      });
    }
  }
  const check = readFileSync(CHECK, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as CorpusLine);
  const checkGrams = check.map((c) => ({ text: c.text, grams: trigrams(c.text) }));
  const nearCheck: string[] = [];
  for (const l of lines) {
    if (check.some((c) => dedupeKey(c.text) === dedupeKey(l.text))) throw new Error(`corpus line is a check post: ${l.text}`);
    if (l.source !== 'written') continue;
    const g = trigrams(l.text);
    for (const c of checkGrams) if (jaccard(g, c.grams) >= 0.6) nearCheck.push(`${l.text}  ≈  ${c.text}`);
  }
  return { lines, nearCheck };
}

function main(): void {
  const { lines, nearCheck } = buildCorpus();
  const body = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
  if (process.argv.includes('--check')) {
    const onDisk = readFileSync(OUT, 'utf8');
    if (onDisk !== body) {
      console.error('data/classifier/corpus.jsonl is not what make-corpus.ts builds; re-run it');
      process.exit(1);
    }
    console.log(`corpus.jsonl is up to date (${lines.length} lines)`);
    return;
  }
  writeFileSync(OUT, body);
  for (const n of nearCheck) console.warn(`near a check post: ${n}`);
  const by = (key: (l: CorpusLine) => string) => {
    const m = new Map<string, number>();
    for (const l of lines) m.set(key(l), (m.get(key(l)) ?? 0) + 1);
    return [...m].sort((a, b) => a[0].localeCompare(b[0]));
  };
  console.log(`wrote ${lines.length} lines to data/classifier/corpus.jsonl`);
  console.log(
    'per language:',
    by((l) => l.lang)
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
  );
  console.log(
    'per source kind:',
    by((l) => (l.source === 'written' ? 'written' : 'template'))
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
  );
  console.log(
    'outage:',
    by((l) => String(l.outage))
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
  );
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) main();
