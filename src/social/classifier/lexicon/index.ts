/** All lexicons, keyed by language. Adding a language: one file here and a tag in detect-lang. */
import { common } from './common';
import { de } from './de';
import { en } from './en';
import { es } from './es';
import { fr } from './fr';
import { ja } from './ja';
import { ko } from './ko';
import { pt } from './pt';
import { ru } from './ru';
import { tr } from './tr';
import type { LangCode, Lexicon } from './types';
import { vi } from './vi';
import { zh } from './zh';

export { common };
export type { LangCode, Lexicon, Rule, RuleKind } from './types';

export const LEXICONS: Readonly<Record<LangCode, Lexicon>> = { en, ja, zh, ko, es, pt, ru, tr, vi, fr, de };
