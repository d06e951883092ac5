/**
 * Hostile text for renderer tests, and one check that rendered text is inert: it pings no one
 * even without allowed_mentions, hides no link, and carries no invisible or control characters.
 */
import assert from 'node:assert/strict';

export const HOSTILE = {
  huge: 'outage '.repeat(1500), // ~10 kB
  mentions: Array.from({ length: 2000 }, (_, i) => (i % 2 ? `<@&${i}>` : `<@${i}>`)).join(' '),
  everyone: '@everyone @here the chain is down, sell!',
  roles: 'ping <@&1> and <@!2> and <#3> and </status:4>',
  masked: 'details: [docs.megaeth.io](https://phish.example/drain) and [x](<https://phish.example>)',
  invisible: 'megaeth\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff down\u0000\u0007\u001b[31m',
  rtl: 'visit \u202Emoc.elgoog\u202C for refunds',
  hiddenEveryone: '@every\u200bone and <\u200b@&1>',
  markdownBomb: `${'*'.repeat(500)}${'_'.repeat(500)}${'~'.repeat(200)}${'|'.repeat(200)}${'`'.repeat(300)}\n${'# big\n'.repeat(50)}${'> quote\n'.repeat(50)}${'\n'.repeat(500)}end`,
  codeFence: '```\n@everyone\n```',
  emoji: '🚨'.repeat(3000),
} as const;

export const ALL_HOSTILE = Object.values(HOSTILE).join('\n');

const INVISIBLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200c-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function assertInert(text: string, where = 'text'): void {
  assert.doesNotMatch(text, /@(everyone|here)/i, `${where}: @everyone/@here survived`);
  assert.doesNotMatch(text, /<[@#/]/, `${where}: mention syntax survived`);
  assert.doesNotMatch(text, /(?<!\\)\[[^\]]*(?<!\\)\]\(/, `${where}: a masked link survived`);
  assert.doesNotMatch(text, INVISIBLE, `${where}: control or invisible character`);
  assert.doesNotMatch(text, /\u200b(?<![@<]\u200b)/, `${where}: a zero-width space other than the ones neutralising mentions`);
  assert.doesNotMatch(text, /\n{3,}/, `${where}: more than one blank line`);
  assert.doesNotMatch(text, LONE_SURROGATE, `${where}: half a surrogate pair`);
}
