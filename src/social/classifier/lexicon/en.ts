/** English. Crypto slang is English everywhere, so this lexicon runs on every post. */
import { hint, mask, negated, planned, price, promo, recovered, strong, weak, type Lexicon } from './types';

const r = String.raw;
const INFRA_NOUN = r`(?:chain|network|mainnet|testnet|l2|rollup|sequencer|rpcs?|nodes?|validators?|explorer|block\s*explorer|bridge|api|endpoints?|site|website|app|dapp|frontend|ui|everything|provider|gateway)`;
const BROKEN = r`(?:down|offline|dead|stalled|frozen|halted|broken|unreachable|unresponsive|stuck|borked|bricked|crashed|crashing|stopped|paused|not\s+(?:responding|working|loading|syncing|advancing|moving|updating))`;
const UNITS = r`(?:s|sec|secs|seconds|m|min|mins|minutes|h|hr|hrs|hours?|days?)`;

export const en: Lexicon = {
  lang: 'en',
  form: 'lower',
  rules: [
    // False friends first: they consume the "down" they contain.
    price('down-n%', r`\bdown\s+(?:by\s+|another\s+)?[-−]?\$?\d[\d.,]*\s*(?:%|percent|pct|k\b|bucks|usd|dollars)`),
    price('n%-down', r`(?<![\d.,])[-−+]?\d[\d.,]*\s*%\s+down\b`),
    price('down-bad', r`\bdown\s+(?:so\s+)?(?:bad|horrendous|only|big|huge|heavy|hard|massive|tremendous(?:ly)?|crazy|astronomical)\b`),
    price(
      'price-down',
      r`\b(?:price|prices|chart|charts|market|markets|bags?|portfolio|pnl|p&l|mcap|market\s*cap|candles?|stocks?|crypto|alts?|altcoins?|btc|bitcoin|tokens?|coins?)\s+(?:is\s+|are\s+|went\s+|going\s+|goes\s+|just\s+went\s+|still\s+)?(?:down|dumping|crashing|tanking|bleeding)\b`,
    ),
    price(
      'is-price-down',
      r`\b(?:is|are|was|were)\s+(?:the\s+|my\s+|your\s+)?(?:price|prices|market|markets|chart|charts|portfolio|bags?)\s+(?:\S+\s+)?(?:down|dumping|crashing|tanking)\b`,
    ),
    price('down-from-ath', r`\bdown\s+(?:from|since|off)\s+(?:the\s+)?(?:ath|top|highs?|peak)\b`),
    price(
      'down-towards',
      r`\b(?:going|go|goes|went|gone|heading|head|drop(?:ping|ped|s)?)\s+(?:back\s+)?(?:down\s+)?(?:to|towards?|below|under)\s+\$?\d`,
    ),
    price('going-down', r`\b(?:going|go|goes)\s+(?:to\s+go\s+)?down\s+(?:more|further|again|even\s+more|lower)\b`),
    price('market-crash', r`\b(?:market|price|prices|flash)\s+crash(?:ed|es|ing)?\b`),
    price('dumping', r`\b(?:dump(?:ing|ed|s)?|pump(?:ing|ed|s)?|tank(?:ing|ed)|rekt|liquidat\w*|bleeding|capitulat\w*)\b`),
    price('bearish', r`\b(?:bear(?:ish|s)?|bull(?:ish|s)?|bull\s+run|bear\s+market)\b`),
    price(
      'price',
      r`\b(?:price|prices|priced|pricing|chart|charts|ath|atl|fomo|fud|hodl\w*|bags?|bagholders?|bags?\s+holding|portfolio|gains|losses|pnl|moon(?:ing)?|rally|correction|resistance|dip|dips|sell(?:ing)?\s+off|sell-?off|buy(?:ing)?|sell(?:ing)?|sold|bought|trading|traders?|candle|candles|market\s*cap|mcap|usd|usdt|\$\d[\d.,]*k?)\b`,
    ),
    price('down-payment', r`\bdown\s*payments?\b`),
    mask('im-down', r`\b(?:i'?m|i\s+am|im|we'?re|we\s+are|are\s+you|you|u|who'?s|anyone|count\s+me)\s+down\b(?:\s+(?:to|for|with)\b)?`),
    mask('down-to-verb', r`\bdown\s+to\s+(?:try|test|help|join|play|build|do|go|earth|chat|collab|hop)\b`),
    mask(
      'idiom-down',
      r`\b(?:up\s+and\s+down|ups\s+and\s+downs|upside\s+down|top[-\s]down|calm\s+down|sit\s+down|settle\s+down|hands\s+down|let\s+(?:me\s+|us\s+)?down|back\s+down|turn(?:ed)?\s+down|tone\s+down|cut\s+down|narrow\s+down|put\s+down|write\s+down|wind(?:ing)?\s+down|break\s+down|broken\s+down\s+by|count\s+down|down\s+under|down\s+the\s+(?:road|line|rabbit\s+hole|street)|double\s+down|doubling\s+down|look(?:ing)?\s+down|step(?:ping)?\s+down|down\s+votes?|thumbs\s+down|never\s+back\s+down)\b`,
    ),
    mask('stuck-with', r`\bstuck\s+(?:with|holding|in\s+(?:a|this|the)\s+(?:bag|position|trade|loop|rut))\b`),
    mask('dead-cat', r`\bdead\s+(?:cat|money|coin|project)\b`),
    mask(
      'not-working-for',
      r`\bnot\s+working\s+(?:for|with)\s+(?:me|you)\s+(?:anymore\s+)?(?:as\s+)?(?:an?\s+)?(?:investment|trade|strategy)\b`,
    ),

    // Denials and the end of an incident.
    negated(
      'not-down',
      r`\b(?:is\s*n'?t|isnt|are\s*n'?t|not|never|no\s+longer|wasn'?t|nothing)\s+(?:\w+\s+)?(?:down|halted|stuck|broken|offline|an?\s+outage)\b`,
    ),
    negated(
      'is-fine',
      r`\b(?:network|chain|rpc|rpcs|everything|mainnet|sequencer|it)\s+(?:is|seems|looks|runs|running)\s+(?:totally\s+|perfectly\s+)?(?:fine|ok|okay|good|healthy|normal|smooth)\b|\b(?:slow|laggy)\s+but\s+(?:it\s+)?(?:works|working)\b`,
    ),
    negated(
      'works-fine',
      r`\b(?:works?|working|runs?|running|fine|all\s+good|ok|okay)\s+(?:fine|great|perfectly|well|ok|for\s+me|on\s+my\s+(?:side|end))\b`,
    ),
    negated(
      'no-issues',
      r`\b(?:no|zero|not\s+any)\s+(?:issues?|problems?|outages?|downtime|incidents?)\b|\bnothing\s+wrong\b|\ball\s+systems\s+operational\b`,
    ),
    negated(
      'your-setup',
      r`\b(?:your|ur)\s+(?:wallet|setup|node|config|rpc\s+settings?)\s+is\s+(?:misconfigured|wrong|broken)\b|\buser\s+error\b`,
    ),
    recovered(
      'back-up',
      r`\b(?:back\s+(?:up|online|to\s+normal)|is\s+back|are\s+back|up\s+and\s+running|(?:working|running|live|processing|flowing|producing|syncing|confirming)\s+(?:again|normally|fine\s+again)|normally\s+again|resolved|fixed|restored|recovered|resumed|recovery\s+complete|post-?mortem|all\s+good\s+now|normal\s+again|operational\s+again|stable\s+again)\b`,
    ),
    planned(
      'scheduled',
      r`\b(?:scheduled|planned|upcoming|maintenance\s+window|deprecat\w*|sunset\w*|migrate\s+your|will\s+be\s+(?:down|unavailable|paused|offline|halted|shut\s+down|disabled|deprecated|sunset)|heads\s+up)\b`,
    ),
    planned(
      'future-date',
      r`\b(?:next\s+(?:week|month|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|tomorrow|on\s+(?:march|april|may|june|july|august|september|october|november|december|january|february)\s+\d)\b`,
      { weight: -1.5 },
    ),
    promo(
      'launch',
      r`\b(?:launch(?:ing|ed|es)?|mainnet\s+(?:is\s+)?live|(?:is|goes|going|went|now|are)\s+live|live\s+now|countdown|tge|listing|listed|whitelist|allowlist|presale|raffle|winners?|retweet|like\s+(?:and|&)\s+(?:rt|retweet)|giveaways?|give\s+away|airdrops?|claim\s+(?:is|your|now|live)|eligib\w+|partnership|integrat\w+|new\s+(?:high|record|ath)|crossed|milestone|tvl)\b`,
    ),
    promo('explainer', r`\b(?:breakdown\s+of|explainer|tutorial|guide|how\s+to|deep\s+dive|download(?:ing|ed|s)?)\b`, { weight: -1.5 }),

    // Outage stated outright.
    strong(
      'infra-down',
      r`\b${INFRA_NOUN}\s+(?:is\s+|are\s+|was\s+|went\s+|seems\s+|seem\s+|looks\s+|appears\s+|just\s+went\s+|has\s+gone\s+|have\s+gone\s+|still\s+|completely\s+|totally\s+|seems\s+to\s+be\s+|been\s+|has\s+been\s+)*${BROKEN}`,
    ),
    strong('halted', r`\b(?:halt(?:ed|s|ing)?|outages?|downtime|chain\s+halt|network\s+halt)\b`),
    strong(
      'no-blocks',
      r`\bno\s+(?:new\s+)?blocks?\b|\bblocks?\s+(?:are\s+|is\s+|have\s+)?(?:not|stopped|no\s+longer)\s+(?:being\s+)?(?:produced|proposed|mined|coming|advancing|moving|updating|being\s+made)\b`,
    ),
    strong(
      'not-producing',
      r`\b(?:not|stopped|isn'?t|aren'?t)\s+(?:producing|creating|making|proposing|mining|including|building|sealing|posting)\s+(?:any\s+|new\s+)?(?:blocks?|batches|txs?|transactions)\b`,
    ),
    strong(
      'block-stalled',
      r`\bblock\s+(?:production|height|number|time)\s+(?:has\s+|is\s+)?(?:stopped|stalled|frozen|stuck|halted|unchanged|not\s+(?:moving|advancing|increasing|updating|changing)|hasn'?t\s+(?:moved|changed|advanced))`,
    ),
    strong(
      'stuck-at-block',
      r`\b(?:stuck|frozen|stalled|halted|paused|sitting|hanging)\s+(?:at|on)\s+(?:the\s+same\s+)?(?:block|height|slot|epoch|#\s*\d|\d{4})`,
    ),
    strong(
      'last-block-ago',
      r`\b(?:last|latest)\s+block\s+(?:was\s+|is\s+|showing\s+)?(?:\d+\s*${UNITS}\s+(?:ago|old)|from\s+\d+\s*${UNITS}\s+ago|\d+\s*${UNITS}\s+old)`,
    ),
    strong(
      'pending-forever',
      r`\b(?:pending|unconfirmed|stuck|hanging)\s+(?:forever|for\s+(?:hours|ages|ever|days|an?\s+hour|\d+\s*${UNITS})|since\s+\d)`,
    ),
    strong(
      'tx-stuck',
      r`\b(?:txs?|transactions?|withdrawals?|deposits?|transfers?|swaps?|bridges?|bridging|nonce)\s+(?:are\s+|is\s+|keep\s+|all\s+|just\s+|still\s+)*(?:stuck|pending|hanging|not\s+(?:confirming|going\s+through|landing|being\s+(?:included|mined|confirmed|processed)|processing|mined)|failing|failed|timing\s+out)\b`,
    ),
    strong(
      'finality',
      r`\b(?:not\s+finali[sz]ing|finality\s+(?:stalled|halted|stopped|delayed|lost)|missed\s+slots|missing\s+(?:blocks|slots)|chain\s+split|consensus\s+failure)\b`,
    ),
    strong(
      'conn-error',
      r`\b(?:connection\s+(?:refused|failed|error|timed?\s*out|reset)|bad\s+gateway|gateway\s+time-?out|service\s+unavailable|internal\s+server\s+error|network\s+error|failed\s+to\s+fetch|could\s+not\s+detect\s+network|missing\s+trie\s+node|header\s+not\s+found|no\s+response\s+from)\b`,
      { weight: 3 },
    ),
    strong(
      'down-for',
      r`\b(?:down|offline|dead)\s+(?:again|for\s+(?:hours|an?\s+hour|\d+\s*${UNITS}|the\s+last|over|almost|nearly)|since\s+\d|\d+\s*${UNITS})`,
    ),
    strong(
      'same-block',
      r`\b(?:returning|returns|showing|shows|reports?|stuck\s+on)\s+the\s+same\s+(?:block|height|value|number|head)\b|\bsame\s+(?:block|height|head|block\s+number)\s+(?:for|since)\b`,
    ),
    strong('not-operational', r`\bnot\s+operational\b`),

    // Suggestive.
    weak('is-down', r`\b(?:is|are)\s+(?:(?!(?:not|never|no)\b)\S+\s+){0,2}?(?:down|offline)\b(?!\s*(?:by\s+)?[-−]?\$?\d)`, {
      weight: 2.2,
      priceSensitive: true,
    }),
    weak(
      'cant-x',
      r`\b(?:can'?t|cannot|can\s+not|couldn'?t|unable\s+to|not\s+able\s+to|fail(?:ed|s|ing)?\s+to|won'?t)\s+(?:even\s+)?(?:\w+\s+)?(?:send|connect|withdraw|bridge|transact|access|reach|load|swap|deposit|claim|submit|sync|broadcast|confirm|use|do\s+anything|get\s+through)\b`,
      { weight: 2 },
    ),
    weak(
      'broken',
      r`\b(?:offline|unreachable|unresponsive|unavailable|inaccessible|not\s+responding|not\s+working|not\s+loading|doesn'?t\s+work|does\s+not\s+work|won'?t\s+(?:load|connect|sync|work)|broken|borked|bricked|crashed|crashing|froze|frozen|stalled|stopped|dead|died|hangs|timing\s+out|timed?\s*out|timeouts?|degraded|shut\s*down|went\s+dark)\b`,
    ),
    weak('forever', r`\b(?:taking|takes|took)\s+(?:forever|ages|hours)\b`),
    weak('down', r`\bdown\b(?!\s*(?:by\s+)?[-−]?\$?\d)`, { weight: 1.6, priceSensitive: true }),
    weak('stuck', r`\b(?:stuck|pending|unconfirmed)\b`, { weight: 1.5 }),
    weak(
      'errors',
      r`\b(?:errors?|failing|failed|fails|failures?|issues?|problems?|trouble|glitch\w*|bug(?:gy|ged)?|incident|investigating|disruption|interruption|degradation)\b`,
      { weight: 1.2 },
    ),
    hint(
      'anyone-else',
      r`\b(?:anyone\s+else|any(?:one|body)\s+(?:else\s+)?(?:having|getting|seeing|facing|experiencing)|is\s+it\s+just\s+me|just\s+me\s+or|what'?s\s+going\s+on|what\s+is\s+going\s+on|wtf|what\s+happened|any\s+updates?|status\s+update|for\s+everyone)\b`,
    ),
    hint('slow', r`\b(?:slow|super\s+slow|delays?|delayed|congest\w*|lag|laggy|lagging|rate[-\s]?limit\w*|429)\b`),
  ],
  infra: r`\b(?:rpcs?|nodes?|sequencer|validators?|blocks?|block\s*height|height|slots?|epochs?|explorer|etherscan|arbiscan|basescan|blockscout|txs?|transactions?|nonce|mempool|gas|bridge|bridging|withdrawals?|deposits?|endpoints?|providers?|alchemy|infura|quicknode|ankr|chain|network|mainnet|peers?|sync(?:ing)?|finality|beacon|reth|geth|op-node|nitro|wallet|metamask|rabby|dapps?|swaps?|eth_\w+)\b`,
  markers: r`\b(?:the|is|are|and|to|of|my|for|it|not|any|anyone|again|with|this|what|just|from|been|has|have|can'?t|since|why)\b`,
};
