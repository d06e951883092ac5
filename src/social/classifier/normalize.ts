/**
 * The forms of a post's text that the lexicons and network terms are matched against.
 * Everything here is linear in the (capped) text and never throws.
 */

/** Only the start of a post is read: a report says so early, and 100 kB posts must stay cheap. */
export const MAX_ANALYSED_CHARS = 2000;

// Zero-width and bidi controls, soft hyphen, word joiners, variation selectors: removed so that
// "hal\u200Bted" reads as "halted" and a post cannot hide words from the lexicons.
const INVISIBLE =
  /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0]/g;
const APOSTROPHES = /[\u2018\u2019\u201B\u02BC\u02B9\u0060\u00B4\u2032]/g;
// A link's path says nothing a reader sees (t.co on X) and its digits would look like block
// numbers; only its hostname is kept ("basescan.org", "status.arbitrum.io" name a network).
const URL = /\bhttps?:\/\/([^\s/?#]{1,100})\S*/g;

export interface TextForms {
  /** Capped, invisible characters and links removed, NFKC (full-width → ASCII), lowercased. */
  readonly lower: string;
  /** `lower` without diacritics (Latin-script lexicons written without accents). */
  readonly folded: string;
  /** `lower` with traditional Chinese characters mapped to simplified ones. */
  readonly hans: string;
}

export function capText(text: unknown): string {
  const s = typeof text === 'string' ? text : text == null ? '' : String(text);
  if (s.length <= MAX_ANALYSED_CHARS) return s;
  let end = MAX_ANALYSED_CHARS;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1; // do not split a surrogate pair
  return s.slice(0, end);
}

/** Builds the forms lazily: most posts need only `lower` and one other. */
export function textForms(text: unknown): TextForms {
  const nfkc = safeNormalize(capText(text).replace(INVISIBLE, ''), 'NFKC').replace(APOSTROPHES, "'").replace(URL, hostOnly);
  return new Forms(nfkc.toLowerCase());
}

// A class rather than an object literal with getters: no closure is made per post.
class Forms implements TextForms {
  #folded: string | undefined;
  #hans: string | undefined;
  constructor(readonly lower: string) {}
  get folded(): string {
    return (this.#folded ??= foldDiacritics(this.lower));
  }
  get hans(): string {
    return (this.#hans ??= toSimplified(this.lower));
  }
}

function hostOnly(_url: string, host: string): string {
  const h = host.replace(/^www\./i, '').replace(/:\d+$/, '');
  return h.includes('.') ? ` ${h} ` : ' ';
}

function safeNormalize(s: string, form: 'NFKC' | 'NFD'): string {
  try {
    return s.normalize(form);
  } catch {
    return s; // lone surrogates are fine for normalize, but stay defensive: never throw
  }
}

const FOLD_EXTRA: Readonly<Record<string, string>> = { ß: 'ss', ı: 'i', ø: 'o', æ: 'ae', œ: 'oe', đ: 'd', ł: 'l' };
const FOLD_EXTRA_RE = /[ßıøæœđł]/g;

export function foldDiacritics(lower: string): string {
  return foldByCodePoint(lower) ?? foldWhole(lower);
}

function foldWhole(s: string): string {
  return safeNormalize(s, 'NFD')
    .replace(/\p{M}/gu, '')
    .replace(FOLD_EXTRA_RE, (c) => FOLD_EXTRA[c] ?? c);
}

// NFD over the whole text is the costliest step of the Latin path, and most posts have little
// or nothing to fold. Folding code point by code point gives the same text as folding the whole
// when no code point is a mark or decomposes into one that leads: NFD decomposes each code point
// on its own, and its reordering only moves marks within a run of them, which then starts inside
// one code point's decomposition and is dropped with it. A code point of the first two planes
// (the emoji are in the second) is looked at once: 0 not yet, 1 folds to itself, 2 to
// FOLDED_TO's text, 3 is a mark. A mark, or a code point of a later plane, sends the whole text
// the old way.
const FOLD_KIND = new Uint8Array(0x20000);
const FOLDED_TO = new Map<number, string>();
const MARK = /\p{M}/u;

function foldKind(cp: number): number {
  const c = String.fromCodePoint(cp);
  const nfd = safeNormalize(c, 'NFD');
  if (MARK.test(nfd[0] ?? '')) return 3;
  const folded = foldWhole(c);
  if (folded === c) return 1;
  FOLDED_TO.set(cp, folded);
  return 2;
}

function foldByCodePoint(s: string): string | undefined {
  let out: string | undefined;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    let cp = s.charCodeAt(i);
    if (cp < 0x80) continue;
    const at = i;
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < s.length) {
      const lo = s.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = (cp - 0xd800) * 0x400 + (lo - 0xdc00) + 0x10000;
        i++;
      }
    }
    if (cp >= FOLD_KIND.length) return undefined;
    let k = FOLD_KIND[cp]!;
    if (k === 0) FOLD_KIND[cp] = k = foldKind(cp);
    if (k === 1) continue;
    if (k === 3) return undefined;
    out = (out ?? '') + s.slice(from, at) + FOLDED_TO.get(cp)!;
    from = i + 1;
  }
  return out === undefined ? s : out + s.slice(from);
}

// Traditional → simplified for the characters the Chinese lexicon and network terms use,
// so one pattern covers posts from Taiwan and Hong Kong as well as the mainland.
const TRADITIONAL =
  '當機掛連無節點塊區價漲維護計劃錢橋問題嗎還發幣盤復線網絡錯誤轉賬帳確認動應響瀏覽個鐘時間來這麼斷癱瘓潰礙鏈額現顯驗證產沒壞倉虧賺搶購買賣數據處遲啟啓開關閉級壓測試碼態務費資獎贈領單體樣們說請讓實際辦補報穩經過達戶號狀況於週預將屆暫進運營擁擠負載隊執結區廣場壇聯戲遊圖裡裏後從喪愛貝齊險撥離線紀錄憑詢異常滯緩慢';
const SIMPLIFIED =
  '当机挂连无节点块区价涨维护计划钱桥问题吗还发币盘复线网络错误转账账确认动应响浏览个钟时间来这么断瘫痪溃碍链额现显验证产没坏仓亏赚抢购买卖数据处迟启启开关闭级压测试码态务费资奖赠领单体样们说请让实际办补报稳经过达户号状况于周预将届暂进运营拥挤负载队执结区广场坛联戏游图里里后从丧爱贝齐险拨离线纪录凭询异常滞缓慢';
const T2S = new Map<string, string>();
for (let i = 0; i < TRADITIONAL.length; i++) T2S.set(TRADITIONAL[i]!, SIMPLIFIED[i]!);
const T2S_RE = new RegExp(`[${TRADITIONAL}]`, 'g');

export function toSimplified(s: string): string {
  return s.replace(T2S_RE, (c) => T2S.get(c) ?? c);
}
