/** Language-neutral evidence: error codes, block numbers, percentages, sirens. Runs on every post. */
import { hint, price, strong, weak, type Lexicon } from './types';

const r = String.raw;

export const common: Lexicon = {
  lang: 'any',
  form: 'lower',
  rules: [
    // "8%", "%7" (Turkish writes the sign first): market talk, unless the post is about the machinery.
    price('percent', r`(?<![\d.,])[-−+]?\d+(?:[.,]\d+)?\s*%|%\s*\d+(?:[.,]\d+)?`, { weight: -2, weightWithInfra: -0.3 }),
    strong('errno', r`\b(?:econnrefused|etimedout|econnreset|enotfound|ehostunreach|socket\s+hang\s+up)\b`, { weight: 3 }),
    weak('http-5xx', r`\b(?:502|503|504|520|521|522|523|524)\b`),
    weak('rpc-error-code', r`(?<![\d-])-320\d\d\b`, { weight: 1.2 }),
    hint('siren', r`🚨|🔴|🆘|🛑|⚠`, { weight: 0.6 }),
  ],
  infra: r`\b(?:rpc|tx|txs|block|blocks|node|nodes|eth_\w+|0x[0-9a-f]{8,})\b|#\s?\d{5,}|\b\d{1,3}(?:[,.]\d{3}){2,}\b|\b\d{7,}\b`,
};
