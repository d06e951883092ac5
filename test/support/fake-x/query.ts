// The fake's search-query language: a small, documented subset of X's recent-search operators
// (https://docs.x.com/x-api/posts/search/integrate/operators, build-a-query).
//
// Supported:
//   keyword            case-insensitive; whole-token match for words written with spaces between
//                      them (Latin, Cyrillic, …: "down" does not match "countdown" or "down8";
//                      a change to Han/kana/Hangul ends a token: "megaethがダウン" holds "megaeth"),
//                      substring match for scripts written without spaces (Han, kana, Hangul, Thai)
//   "exact phrase"     same rules applied to the phrase
//   #hashtag $cashtag @mention   as keywords, the sigil included ("$eth" does not match "eth")
//   a b                AND (juxtaposition); AND binds tighter than OR, as on X
//   a OR b             OR (upper-case only; "or" is a keyword)
//   ( … )              grouping
//   -x                 negation of a keyword, phrase, operator or group
//   is:retweet  is:reply  is:quote (never true here)  has:links  has:media (never true here)
//   lang:xx  from:user  to:user (a reply to that user)  url:text (substring of a link)
// Rejected with X's 400 problem: unbalanced parentheses or quotes, an operator outside this
// list, a dangling OR, and a query without any positive standalone clause (X: "Rule must
// contain a non-negation term"), e.g. `-is:retweet lang:en` alone.
// Not modelled: stemming, diacritic folding, stop words, emoji, `place:`, `conversation_id:`,
// counts of operators, the 4096-character enterprise limit.

export type QueryNode =
  | { kind: 'and'; items: QueryNode[] }
  | { kind: 'or'; items: QueryNode[] }
  | { kind: 'not'; item: QueryNode }
  | { kind: 'term'; value: string }
  | { kind: 'phrase'; value: string }
  | { kind: 'op'; name: string; value: string };

/** What the matcher needs to know about a post. */
export interface MatchTarget {
  text: string;
  lang: string;
  username: string;
  retweet: boolean;
  /** Username of the author replied to, when the post is a reply. */
  replyToUsername?: string;
}

export class QuerySyntaxError extends Error {
  override name = 'QuerySyntaxError';
}

const OPERATORS = new Set(['is', 'has', 'lang', 'from', 'to', 'url']);
const IS_VALUES = new Set(['retweet', 'reply', 'quote']);
const HAS_VALUES = new Set(['links', 'media']);
/** Operators that may stand alone (X's "standalone operators"). */
const STANDALONE_OPS = new Set(['from', 'to', 'url']);

type Token = { t: 'lparen' } | { t: 'rparen' } | { t: 'or' } | { t: 'neg' } | { t: 'phrase'; v: string } | { t: 'word'; v: string };

function tokenize(q: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i]!;
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '(') {
      out.push({ t: 'lparen' });
      i += 1;
    } else if (c === ')') {
      out.push({ t: 'rparen' });
      i += 1;
    } else if (c === '"') {
      const end = q.indexOf('"', i + 1);
      if (end < 0) throw new QuerySyntaxError(`Unterminated quote at position ${i + 1}`);
      out.push({ t: 'phrase', v: q.slice(i + 1, end) });
      i = end + 1;
    } else if (c === '-' && i + 1 < q.length && !/\s/.test(q[i + 1]!)) {
      out.push({ t: 'neg' });
      i += 1;
    } else {
      let j = i;
      while (j < q.length && !/[\s()"]/.test(q[j]!)) j += 1;
      const word = q.slice(i, j);
      out.push(word === 'OR' ? { t: 'or' } : { t: 'word', v: word });
      i = j;
    }
  }
  return out;
}

/** Parses a query; throws QuerySyntaxError with a message in X's words where it has them. */
export function parseQuery(q: string): QueryNode {
  const tokens = tokenize(q);
  let pos = 0;
  const peek = () => tokens[pos];

  function parseOr(): QueryNode {
    const items = [parseAnd()];
    while (peek()?.t === 'or') {
      pos += 1;
      if (!peek() || peek()!.t === 'rparen' || peek()!.t === 'or') throw new QuerySyntaxError('Dangling OR');
      items.push(parseAnd());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }

  function parseAnd(): QueryNode {
    const items: QueryNode[] = [];
    for (let tok = peek(); tok && tok.t !== 'or' && tok.t !== 'rparen'; tok = peek()) items.push(parseUnary());
    if (items.length === 0) throw new QuerySyntaxError(`Empty clause at token ${pos + 1}`);
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }

  function parseUnary(): QueryNode {
    if (peek()?.t === 'neg') {
      pos += 1;
      return { kind: 'not', item: parsePrimary() };
    }
    return parsePrimary();
  }

  function parsePrimary(): QueryNode {
    const tok = tokens[pos];
    pos += 1;
    if (!tok) throw new QuerySyntaxError('Unexpected end of query');
    switch (tok.t) {
      case 'lparen': {
        const inner = parseOr();
        if (tokens[pos]?.t !== 'rparen') throw new QuerySyntaxError('Unbalanced parentheses');
        pos += 1;
        return inner;
      }
      case 'phrase':
        return { kind: 'phrase', value: tok.v };
      case 'word': {
        const m = /^([a-z_]+):(.+)$/i.exec(tok.v);
        if (m && !/^https?$/i.test(m[1]!)) {
          const name = m[1]!.toLowerCase();
          const value = m[2]!;
          if (!OPERATORS.has(name)) throw new QuerySyntaxError(`Reference to invalid operator '${name}'`);
          if (name === 'is' && !IS_VALUES.has(value.toLowerCase()))
            throw new QuerySyntaxError(`Reference to invalid operator 'is:${value}'`);
          if (name === 'has' && !HAS_VALUES.has(value.toLowerCase()))
            throw new QuerySyntaxError(`Reference to invalid operator 'has:${value}'`);
          return { kind: 'op', name, value };
        }
        return { kind: 'term', value: tok.v };
      }
      default:
        throw new QuerySyntaxError(`Unexpected '${tok.t === 'rparen' ? ')' : tok.t}' at token ${pos}`);
    }
  }

  if (tokens.length === 0) throw new QuerySyntaxError('Empty query');
  const node = parseOr();
  if (pos < tokens.length) throw new QuerySyntaxError('Unbalanced parentheses');
  if (!hasPositiveStandalone(node)) throw new QuerySyntaxError('Rule must contain a non-negation term');
  return node;
}

/** True when every branch of the query has a positive keyword, phrase or standalone operator. */
function hasPositiveStandalone(node: QueryNode): boolean {
  switch (node.kind) {
    case 'term':
    case 'phrase':
      return true;
    case 'op':
      return STANDALONE_OPS.has(node.name);
    case 'not':
      return false;
    case 'and':
      return node.items.some(hasPositiveStandalone);
    case 'or':
      return node.items.every(hasPositiveStandalone);
  }
}

/** Scripts written without spaces between words: substring matching stands in for X's tokenizer. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;
const WORD_CHAR = /[\p{L}\p{N}_]/u;

function norm(s: string): string {
  return s.normalize('NFC').toLowerCase();
}

/** Whole-token match at each end of `needle` that is written in a spaced script. */
export function containsToken(text: string, needle: string): boolean {
  const hay = norm(text);
  const n = norm(needle);
  if (n.length === 0) return false;
  const first = Array.from(n)[0]!;
  const last = Array.from(n).at(-1)!;
  const checkStart = WORD_CHAR.test(first) && !UNSPACED.test(first);
  const checkEnd = WORD_CHAR.test(last) && !UNSPACED.test(last);
  for (let at = hay.indexOf(n); at >= 0; at = hay.indexOf(n, at + 1)) {
    const before = at > 0 ? Array.from(hay.slice(Math.max(0, at - 2), at)).at(-1) : undefined;
    const after = Array.from(hay.slice(at + n.length, at + n.length + 2))[0];
    // A sigil before a keyword makes a different token: "eth" does not match "$eth" or "#eth".
    // A change of script is a token boundary too ("megaethがダウン" holds the token "megaeth").
    const joins = (c: string) => WORD_CHAR.test(c) && !UNSPACED.test(c);
    const startOk = !checkStart || before === undefined || (!joins(before) && !/[#$@]/.test(before));
    const endOk = !checkEnd || after === undefined || !joins(after);
    if (startOk && endOk) return true;
  }
  return false;
}

export function matchQuery(node: QueryNode, post: MatchTarget): boolean {
  switch (node.kind) {
    case 'and':
      return node.items.every((n) => matchQuery(n, post));
    case 'or':
      return node.items.some((n) => matchQuery(n, post));
    case 'not':
      return !matchQuery(node.item, post);
    case 'term':
    case 'phrase':
      return containsToken(post.text, node.value);
    case 'op': {
      const v = node.value.toLowerCase();
      switch (node.name) {
        case 'is':
          return v === 'retweet' ? post.retweet : v === 'reply' ? post.replyToUsername !== undefined : false;
        case 'has':
          return v === 'links' ? /https?:\/\//i.test(post.text) : false;
        case 'lang':
          return post.lang.toLowerCase() === v;
        case 'from':
          return post.username.toLowerCase() === v.replace(/^@/, '');
        case 'to':
          return (post.replyToUsername ?? '').toLowerCase() === v.replace(/^@/, '');
        case 'url':
          return (post.text.match(/https?:\/\/\S+/gi) ?? []).some((u) => norm(u).includes(norm(node.value)));
        default:
          return false;
      }
    }
  }
}
