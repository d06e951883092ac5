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
  const lower = nfkc.toLowerCase();
  let folded: string | undefined;
  let hans: string | undefined;
  return {
    lower,
    get folded() {
      return (folded ??= foldDiacritics(lower));
    },
    get hans() {
      return (hans ??= toSimplified(lower));
    },
  };
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
  return safeNormalize(lower, 'NFD')
    .replace(/\p{M}/gu, '')
    .replace(FOLD_EXTRA_RE, (c) => FOLD_EXTRA[c] ?? c);
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
