/**
 * Structural cues in a post, for the learned model (model.ts): what a report looks like when it
 * uses no outage word. A latest block "14 min ago", two clock times far apart, a block number,
 * an RPC method name, a TPS of zero; and what an aftermath or market post looks like: past-time
 * words ("yesterday", 先週, на прошлой неделе), a quoted statement, a percentage or a fraction
 * of value ("a third"), the poster's own bot or script. Each cue is a short name; the model
 * learns its weight. Everything here is linear in the (capped) text, pure and never throws.
 *
 * Patterns are matched on `lower` (NFKC, lowercased, links reduced to hostnames) for the
 * scripts that keep their letters, and on `folded` (no diacritics) for the Latin ones.
 */

/** Minutes → a coarse bucket: the model learns what "normal" is per bucket. */
export function durationBucket(min: number): string {
  if (!(min >= 0)) return 'x';
  if (min < 1) return 's';
  if (min < 3) return '1m';
  if (min < 10) return '3m';
  if (min < 60) return '10m';
  if (min < 360) return '1h';
  if (min < 1440) return '6h';
  return 'd';
}

/** Cue names for a duration, one per bucket, each made the first time rather than per post. */
function durationCues(prefix: string): (min: number) => string {
  const names = new Map<string, string>();
  return (min) => {
    const bucket = durationBucket(min);
    let name = names.get(bucket);
    if (name === undefined) names.set(bucket, (name = `${prefix}${bucket}`));
    return name;
  };
}
const DUR_CUE = durationCues('c:dur:');
const AGO_CUE = durationCues('c:ago:');
const BLOCK_AGO_CUE = durationCues('c:blk-ago:');
const FOR_CUE = durationCues('c:for:');
const BLOCK_FOR_CUE = durationCues('c:blk-for:');
const CLOCK_DIFF_CUE = durationCues('c:clockdiff:');

const r = String.raw;

// Units on the lowercased text (accents kept): seconds, minutes, hours, days in the 11 languages.
const TR_SUFFIX = r`(?:d[ıi]r|t[ıi]r|d[üu]r|t[üu]r|l[ıi]k|l[üu]k|lerdir|lardır|dir)?`;
const SEC = r`s|sec|secs|seconds?|秒|초|segundos?|seg|секунд[а-яё]*|сек|saniye${TR_SUFFIX}|sn|giây|secondes?|sekunden?|sek`;
const MIN = r`m|min|mins|minutes?|分钟|分鐘|分|분|minutos?|минут[а-яё]*|мин|dakika${TR_SUFFIX}|dk|phút|minuten?`;
const HOUR = r`h|hr|hrs|hours?|時間|小时|小時|个小时|個小時|시간|horas?|час[а-яё]*|saat${TR_SUFFIX}|giờ|tiếng|heures?|stunden?|std`;
const DAY = r`d|days?|日間|日|天|일|días?|dias?|дн[а-яё]*|день|сут[а-яё]*|gün${TR_SUFFIX}|ngày|jours?|tagen?|tage`;
const CJK_NUM: Readonly<Record<string, number>> = {
  一: 1,
  二: 2,
  两: 2,
  兩: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
  十: 10,
  半: 0.5,
};
const WORD_NUM: Readonly<Record<string, number>> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  five: 5,
  ten: 10,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  un: 1,
  una: 1,
  uma: 1,
  um: 1,
  une: 1,
  dos: 2,
  tres: 3,
  cinco: 5,
  diez: 10,
  dez: 10,
  quince: 15,
  quinze: 15,
  veinte: 20,
  vinte: 20,
  treinta: 30,
  trinta: 30,
  deux: 2,
  trois: 3,
  dix: 10,
  vingt: 20,
  trente: 30,
  eine: 1,
  einer: 1,
  ein: 1,
  zwei: 2,
  drei: 3,
  fünf: 5,
  zehn: 10,
  fünfzehn: 15,
  zwanzig: 20,
  dreißig: 30,
  один: 1,
  одну: 1,
  два: 2,
  две: 2,
  три: 3,
  пять: 5,
  десять: 10,
  пятнадцать: 15,
  двадцать: 20,
  тридцать: 30,
  сорок: 40,
  bir: 1,
  iki: 2,
  üç: 3,
  beş: 5,
  on: 10,
  yirmi: 20,
  otuz: 30,
  kırk: 40,
  một: 1,
  hai: 2,
  ba: 3,
  năm: 5,
  mười: 10,
};
const NUM = [
  r`\d{1,4}(?:[.,]\d)?`,
  r`[一二两兩三四五六七八九十半]{1,3}`,
  ...Object.keys(WORD_NUM).sort((a, b) => b.length - a.length),
].join('|');
const DURATION = new RegExp(
  r`(?<![\p{Script=Latin}\p{Script=Cyrillic}\p{N}])(${NUM})\s?(?:-?\s?(?:(${SEC})|(${MIN})|(${HOUR})|(${DAY})))(?![a-zа-яё\d])`,
  'gu',
);
// Durations without a number: half an hour, полчаса, 半小时, ...
const WORD_DURATION: readonly [RegExp, number][] = [
  [
    /half\s+an?\s+hour|half\s+hour|半小时|半小時|30分|полчаса|media\s+hora|meia\s+hora|yarım\s+saat|nửa\s+tiếng|nửa\s+giờ|demi-?\s?heure|halbe[nr]?\s+stunde|반\s?시간/u,
    30,
  ],
  [
    /an\s+hour|one\s+hour|一个?小时|一個?小時|1時間|한\s?시간|una\s+hora|uma\s+hora|(?<![\p{L}])час(?![\p{L}])|bir\s+saat|một\s+tiếng|une\s+heure|einer?\s+stunde/u,
    60,
  ],
  [
    /(?<![\p{L}])hours(?![\p{L}])|for\s+ages|几个小时|幾個小時|好几个小时|数時間|何時間|몇\s?시간|horas|часами|несколько\s+часов|saatlerdir|saatler|hàng\s+giờ|mấy\s+tiếng|des\s+heures|stundenlang|seit\s+stunden/u,
    180,
  ],
  [
    /all\s+day|days|一整天|几天|幾天|数日|何日|며칠|días|dias|несколько\s+дней|günlerdir|mấy\s+ngày|plusieurs\s+jours|tagelang|seit\s+tagen/u,
    2880,
  ],
];
// "ago" after (or before, in es/pt/fr/de) the duration: how old the thing is.
const AGO_AFTER = /^\s?(?:ago|old|behind|前|전|назад|önce|trước|avant)/u;
const AGO_BEFORE = /(?:hace|há|ha|faz|il\s+y\s+a|vor|cách\s+đây)\s*$/u;
// "for", "since", "already": how long something has lasted.
const FOR_AFTER = /^\s?(?:째|넘게|이상|동안|以上|以来|了|没|も|間|経|dır|dir|tır|tir|dur|dür|tur|tür|boyunca|rồi|liền|nay)/u;
const FOR_BEFORE =
  /(?:for|since|over|already|almost|nearly|last|past|desde\s+hace|lleva|llevo|há|faz|já|уже|больше|более|depuis|seit|suốt|hơn|cả|schon|kaç)\s*$/u;

const TR_FOR = /(?:d[ıi]r|t[ıi]r|d[üu]r|t[üu]r)$/u;
const DIGIT = /\d/;
// A duration with a number word needs one of these unit words ("ten minutes", "una hora").
const UNIT_HINT =
  /min|sec|seg|hour|hora|heure|stunde|tag|day|día|dia|jour|мин|сек|час|дн|dakika|saat|saniye|gün|phút|giây|giờ|tiếng|ngày|分|秒|時間|小时|小時|天|日|분|초|시간|일/u;
const CLOCK = /(?<![\d:.])([01]?\d|2[0-3])\s?[:h時点점]\s?([0-5]\d)(?![\d])/gu;
const BLOCK_NUMBER = /(?<![\d.,])\d{1,3}(?:[,.\u00a0\u202f ']\d{3}){2,}(?![\d])|(?<![\d])\d{6,12}(?![\d])|#\s?\d{4,}/u;
const HEX_HEIGHT = /(?<![0-9a-z])0x[0-9a-f]{4,10}(?![0-9a-z])/u;
const HASH = /0x[0-9a-f]{11,}/u;
const RPC_METHOD = /(?<![a-z])(?:eth|net|web3|debug|txpool|trace|engine|admin|realtime)_[a-z]{3,30}/gu;
const PERCENT = /\d\s?%|%\s?\d|percent|procent|por\s?ciento|por\s?cento|pour\s?cent|prozent|процент|yüzde|phần\s?trăm/u;
const MONEY = /\$\s?\d|\d\s?(?:usd[tc]?|\$|€|円|元|원|руб|tl|đ)\b|\b(?:usd[tc]?|dollars?|dólar|dolar|euros?|доллар\w*)\b/u;
// "a third of its value", 三分の一, 3분의 1, треть: market talk.
const FRACTION =
  /(?:a|one)\s+(?:third|quarter|half)\s+of|\d\/\d|三分の一|四分の一|半分|三分之一|四分之一|一半|[0-9]분의\s?[0-9]|un\s+tercio|la\s+mitad|um\s+terço|metade|треть|четверть|половин|üçte\s+bir|dörtte\s+bir|yarısı|một\s+phần\s+ba|một\s+nửa|un\s+tiers|la\s+moitié|ein\s+drittel|die\s+hälfte/u;
const TPS_ZERO =
  /(?<![\p{L}\d])0\s?tps|tps\D{0,32}(?<![\d.,])(?:0(?![\d.,])|zero|null|cero|zéro|sıfır|ноль|нул|零|không)|(?:zero|cero|zéro|null|ноль|零)\s+tps/u;
const FLAT = /flat\s?(?:line|lined)?|plano|plana|plat|à\s+plat|flach|dümdüz|düz|ровн|平|横ばい|일자|nằm\s+im|đi\s+ngang/u;

const FIRST_PERSON =
  /(?:i|i'm|im|i've|i'd|my|me|mine|yo|mis?|eu|meus?|minhas?|je|j'|moi|mon|mes|ich|mein\w*|mir|mich|я|мо[йяеи]|мне|меня|ben|benim|mình|tôi|tao)(?![\p{L}])|私|僕|俺|自分|我|제가|저는|나는|내가|저도|제\s/gu;
// The poster's own tools: "my bot", "mi script", 自分のbot, 我的脚本, 제 봇, botumu.
const OWN_THING = new RegExp(
  [
    r`(?<![\p{L}])(?:my|our)\s+(?:own\s+|little\s+|trading\s+|arb\s+|mev\s+|sniper\s+)?(?:bots?|scripts?|indexer|code|node|setup|laptop|wifi|internet|router|pc|computer|vps|server|cron(?:job)?|keeper|backend|subgraph|connection|isp|power)(?![\p{L}])`,
    r`(?<![\p{L}])(?:mis?|meus?|minhas?|mon|ma|mes|mein\w*|мо[йяеи]\w*|сво\w+)\s+(?:propi[oa]\s+|próprio\s+|propre\s+|eigene[nrs]?\s+)?(?:bot|script|código|codigo|code|nodo|node|nœud|indexador|indexeur|internet|wifi|wlan|pc|servidor|serveur|server|skript|rechner|box|бот\w*|скрипт\w*|код\w*|нод\w*|интернет\w*|сервер\w*)`,
    r`(?<![\p{L}])(?:botum\w*|scriptim\w*|kodum\w*|internetim\w*|benim\s+(?:bot|script|kod))`,
    r`(?:bot|script|code|node)\s+(?:của\s+)?(?:mình|tôi|tao)|con\s+bot`,
    r`(?:自分|私|僕|俺)の(?:bot|ボット|スクリプト|コード|ノード|回線|ネット|pc|パソコン)`,
    r`(?:我|自己)(?:自己)?的?(?:脚本|腳本|机器人|機器人|bot|代码|代碼|节点|節點|网|宽带|電腦|电脑)`,
    r`(?:제|내|저의|나의)\s?(?:봇|스크립트|코드|노드|인터넷|와이파이|컴퓨터|서버)`,
  ].join('|'),
  'u',
);
const PAST =
  /(?:yesterday|last\s+(?:week|month|year|night|time|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|earlier\s+(?:today|this\s+week)|the\s+other\s+day|back\s+in|remember\s+when|(?:days|weeks|months|years)\s+ago|ayer|anoche|la\s+semana\s+pasada|el\s+mes\s+pasado|el\s+año\s+pasado|ontem|semana\s+passada|m[eê]s\s+passado|ano\s+passado|lembra\s+quando|recuerdan?\s+cuando|вчера|позавчера|на\s+прошлой\s+неделе|в\s+прошлом\s+(?:месяце|году)|помните|dün|geçen\s+(?:hafta|ay|yıl|sene)|hatırlıyor|hôm\s+qua|tuần\s+trước|tháng\s+trước|năm\s+ngoái|hồi\s+đó|hier|la\s+semaine\s+dernière|le\s+mois\s+dernier|l'an\s+dernier|l'année\s+dernière|vous\s+vous\s+souvenez|gestern|vorgestern|letzte\s+woche|letzten\s+monat|letztes\s+jahr|damals|neulich|post-?mortem|postmortem|постмортем|retrospective|recap)(?![\p{L}])|昨日|昨晩|先週|先月|去年|この前|前回|あの時|昨天|昨晚|上周|上週|上个月|上個月|去年|之前那次|那次|上次|어제|지난주|지난달|작년|그때|저번/gu;
const NOW =
  /(?:right\s+now|rn|atm|currently|now|at\s+the\s+moment|ahora|ahorita|agora|neste\s+momento|сейчас|прямо\s+сейчас|şu\s+an|şimdi|hiện\s+tại|bây\s+giờ|đang|maintenant|en\s+ce\s+moment|actuellement|gerade|jetzt|aktuell|momentan)(?![\p{L}])|今|現在|现在|目前|正在|지금|현재/gu;
const QUOTE =
  /^\s*["“«„「『]|["”»“」』]\s*[,，、—-]?\s*(?:said|says|wrote|told|according|dijo|disse|a\s+déclaré|indique|hieß|sagte|заявил|говорится|dedi|cho\s+biết)|said\s+in\s+a\s+statement|according\s+to|(?<![\p{L}])(?:según|segundo\s+(?:a|o)|selon|laut|согласно|по\s+словам|açıklamaya\s+göre|theo\s+thông\s+báo|reportedly|reports\s+that|coindesk|the\s+block\s+reports|decrypt)(?![\p{L}])|とのこと|によると|据悉|据报道|官方称|官方表示|밝혔다|따르면|전했다/u;
const ERROR_CODE =
  /(?<![\d-])-320\d\d(?!\d)|(?<!\d)(?:429|500|502|503|504)(?!\d)|header\s+not\s+found|missing\s+trie\s+node|nonce\s+too\s+low|timeout|timed?\s?out|econn\w+|etimedout/u;
const BLOCK_WORD =
  /(?:blocks?|blok\w*|bloque\w*|bloco\w*|blocs?|блок\w*|khối|head|height|slot|höhe|altura|hauteur|yükseklik|высот\w*|miniblock\w*)(?![\p{L}])|ブロック|区块|區塊|出块|出塊|块|블록|高度|높이/gu;
const FEE_DOWN = /(?:fees?|gas|comisiones|taxas|frais|gebühren|комисси\w+|ücret\w*|phí|手续费|手續費|ガス代|手数料|가스비|수수료)/u;
const EMOJI = /\p{Extended_Pictographic}/u;
const NON_ASCII = /[^\x00-\x7f]/;
// MONEY needs a digit or one of these.
const MONEY_HINT = /usd|dol|euro|доллар/;
const HANDLE = /(?<![\p{L}\p{N}])@[a-z0-9_]{2,}/u;

export interface Structure {
  /** Cue names, e.g. "c:ago:10m", "c:clockdiff:10m", "c:blocknum", "c:past" (the model's feature names). */
  cues: string[];
  /** Short reason labels for cues worth showing ("stale-block", "past-tense"). */
  reasons: string[];
}

/** Only the start of a post is read for cues: reports say it early. */
const STRUCT_CHARS = 300;
const LETTER = /\p{L}/u;
// CJK words need no boundary before them (there are no spaces between words).
const CJK_START = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * `re` (global) matches somewhere not straight after a letter (a CJK word anywhere). Word-start boundaries are
 * checked here rather than with a leading lookbehind, which would make V8 try every
 * alternative at every position instead of skipping ahead to a possible first character.
 */
function matchesAtWordStart(re: RegExp, text: string): boolean {
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m.index === 0 || !LETTER.test(text[m.index - 1]!) || CJK_START.test(m[0])) return true;
    re.lastIndex = m.index + 1;
  }
  return false;
}

export function structure(lower: string): Structure {
  const text = lower.length > STRUCT_CHARS ? lower.slice(0, STRUCT_CHARS) : lower;
  const cues: string[] = [];
  const reasons: string[] = [];
  const blockCtx = matchesAtWordStart(BLOCK_WORD, text);
  if (blockCtx) cues.push('c:blockctx');

  // Durations: the largest "ago" and the largest "for" duration.
  const hasDigit = DIGIT.test(text);
  let agoMax = -1;
  let forMax = -1;
  let anyMax = -1;
  DURATION.lastIndex = 0;
  let m: RegExpExecArray | null;
  let guard = 0;
  let clocksFromHours = 0;
  const durations = hasDigit || UNIT_HINT.test(text);
  while (durations && (m = DURATION.exec(text)) !== null && guard++ < 12) {
    const n = parseNumber(m[1]!);
    if (n === undefined) continue;
    const unit = m[2] ? 1 / 60 : m[3] ? 1 : m[4] ? 60 : 1440;
    const unitText = m[2] ?? m[3] ?? m[4] ?? m[5] ?? '';
    // Single letters ("5m", "2h", "3d") only straight after a digit; "14h" is a clock time (fr).
    if (unitText.length === 1 && !/\d$/.test(m[1]!)) continue;
    if (unitText === 'h' && n >= 7) {
      clocksFromHours++;
      continue;
    }
    const min = n * unit;
    const before = text.slice(Math.max(0, m.index - 16), m.index);
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 8);
    anyMax = Math.max(anyMax, min);
    if (AGO_AFTER.test(after) || AGO_BEFORE.test(before)) agoMax = Math.max(agoMax, min);
    else if (TR_FOR.test(unitText) || FOR_AFTER.test(after) || FOR_BEFORE.test(before)) forMax = Math.max(forMax, min);
  }
  for (const [re, min] of WORD_DURATION) {
    if (re.test(text)) {
      anyMax = Math.max(anyMax, min);
      forMax = Math.max(forMax, min);
      break;
    }
  }
  if (anyMax >= 0) cues.push(DUR_CUE(anyMax));
  if (agoMax >= 0) {
    cues.push(AGO_CUE(agoMax));
    if (blockCtx) cues.push(BLOCK_AGO_CUE(agoMax));
    if (blockCtx && agoMax >= 3 && agoMax < 1440) reasons.push('stale-block');
  }
  if (forMax >= 0) {
    cues.push(FOR_CUE(forMax));
    if (blockCtx) cues.push(BLOCK_FOR_CUE(forMax));
  }

  // Clock times: two far apart ("it's 14:52 and the last block says 14:20").
  CLOCK.lastIndex = 0;
  let lo = Infinity;
  let hi = -Infinity;
  let clocks = 0;
  while (hasDigit && (m = CLOCK.exec(text)) !== null && clocks < 6) {
    const t = Number(m[1]) * 60 + Number(m[2]);
    clocks++;
    lo = Math.min(lo, t);
    hi = Math.max(hi, t);
  }
  clocks += clocksFromHours;
  if (clocks > 0) cues.push('c:clock');
  if (clocks > 1 && hi > lo) {
    const diff = hi - lo;
    cues.push(CLOCK_DIFF_CUE(diff));
    if (blockCtx && diff >= 3 && diff < 720) reasons.push('stale-block');
  }

  if (hasDigit) {
    if (BLOCK_NUMBER.test(text)) cues.push('c:blocknum');
    if (HEX_HEIGHT.test(text)) cues.push('c:hexnum');
    if (HASH.test(text)) cues.push('c:hash');
  }
  RPC_METHOD.lastIndex = 0;
  let methods = 0;
  const underscore = text.includes('_');
  while (underscore && (m = RPC_METHOD.exec(text)) !== null && methods < 3) {
    methods++;
    cues.push(`c:method:${m[0]}`);
  }
  if (methods > 0) cues.push('c:rpc-method');
  if (ERROR_CODE.test(text)) cues.push('c:errcode');
  if (PERCENT.test(text)) cues.push('c:pct');
  if ((hasDigit || MONEY_HINT.test(text)) && MONEY.test(text)) cues.push('c:money');
  if (FRACTION.test(text)) cues.push('c:fraction');
  const tps = text.includes('tps');
  if (tps && TPS_ZERO.test(text)) {
    cues.push('c:tps-zero');
    reasons.push('tps-zero');
  } else if (tps && FLAT.test(text)) cues.push('c:tps-flat');
  const firstPerson = matchesAtWordStart(FIRST_PERSON, text);
  if (firstPerson) cues.push('c:1p');
  if (OWN_THING.test(text)) {
    cues.push('c:own-thing');
    reasons.push('own-setup');
  }
  const past = matchesAtWordStart(PAST, text);
  if (past) {
    cues.push('c:past');
    reasons.push('past-tense');
    if (anyMax >= 0) cues.push('c:past-dur');
  }
  if (matchesAtWordStart(NOW, text)) cues.push(past ? 'c:now-past' : 'c:now');
  if (QUOTE.test(text)) {
    cues.push('c:quote');
    reasons.push('quoted');
  }
  if (FEE_DOWN.test(text)) cues.push('c:fees');
  if (NON_ASCII.test(text) && EMOJI.test(text)) cues.push('c:emoji');
  if (HANDLE.test(text)) cues.push('c:handle');
  return { cues, reasons };
}

function parseNumber(s: string): number | undefined {
  if (/^\d/.test(s)) {
    const n = Number(s.replace(',', '.'));
    return Number.isFinite(n) ? n : undefined;
  }
  if (CJK_NUM[s[0]!] !== undefined) {
    // 二十 = 20, 十五 = 15, 三十五 = 35, 半 = 0.5
    let total = 0;
    let cur = 0;
    for (const ch of s) {
      const v = CJK_NUM[ch];
      if (v === undefined) return undefined;
      if (v === 10) {
        total += (cur || 1) * 10;
        cur = 0;
      } else cur = v;
    }
    return total + cur;
  }
  return WORD_NUM[s];
}
