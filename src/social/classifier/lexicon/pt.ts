/** Portuguese, written without accents: matched on the folded text ("não" → "nao"). */
import { hint, negated, planned, price, promo, recovered, strong, weak, type Lexicon } from './types';

const r = String.raw;

export const pt: Lexicon = {
  lang: 'pt',
  form: 'folded',
  rules: [
    price('fell-n', r`\b(?:caiu|cai|caindo|subiu|sobe|subindo|despencou|desvalorizou|perdeu)\s+(?:mais\s+de\s+|quase\s+)?\d`),
    price(
      'price',
      r`\b(?:precos?|cotacao|queda|mercado|baixista|altista|despenc\w+|derret\w+|compr\w+|vend\w+|dump\w*|pump\w*|dip|lucro|prejuizo|grafico|baleias|suporte|resistencia)\b`,
    ),
    recovered(
      'recovered',
      r`\b(?:voltou|voltando|normalizou|normalizad[oa]|restabelec\w+|resolvid[oa]|funcionando\s+(?:de\s+novo|normal\w*)|tudo\s+normal|ao\s+normal|consertad[oa]|corrigid[oa])\b`,
    ),
    negated('ok', r`\b(?:sem\s+problemas?|funcionando\s+(?:bem|perfeit\w+)|nao\s+(?:esta|ta)\s+(?:fora|caid[oa]))\b`),
    planned('planned', r`\b(?:programad[oa]|agendad[oa]|previst[oa]|manutencao|amanha|proxim[oa]\s+(?:semana|domingo|segunda))\b`),
    planned('future', r`\b(?:no\s+domingo|vai\s+(?:ficar|fazer|ter|parar))\b`, { weight: -1.5 }),
    promo(
      'promo',
      r`\b(?:lancamento|lanca\w*|airdrop\w*|sorteio|particip\w+|ganhe|brinde|resgat\w+|tutorial|download|baix(?:e|ar|ei)\s+(?:a|o))\b`,
    ),
    strong(
      'fora-do-ar',
      r`\bfora\s+do\s+ar\b|\b(?:esta|ta)\s+(?:caid[oa]|parad[oa]|travad[oa]|fora)\b|\bparou\b|\btravou\b|\btravad[oa]s?\b|\bcongelad[oa]\b|\binstabilidade\b|\bindisponivel\b`,
    ),
    strong(
      'nao-funciona',
      r`\bnao\s+(?:funciona|responde|carrega|conecta|confirma|produz|atualiza|anda|sai|passa)\b|\bsem\s+(?:novos\s+)?blocos\b|\bparou\s+de\s+produzir\b`,
    ),
    strong(
      'nao-consigo',
      r`\bnao\s+(?:consigo|conseguimos|da\s+pra)\s+(?:\w+\s+)?(?:enviar|conectar|sacar|transferir|fazer|usar|acessar|mandar|depositar)\b`,
    ),
    weak('caiu', r`\bcaiu\b`, { weight: 2, priceSensitive: true }),
    weak('weak', r`\b(?:pendentes?|erro|erros|problemas?|falh\w+|lent[oa]|demora\w*|timeout)\b`),
    hint('question', r`\b(?:alguem\s+mais|so\s+eu|o\s+que\s+(?:houve|aconteceu))\b`),
  ],
  infra: r`\b(?:rpc|node|nodes|blocos?|rede|cadeia|transac\w+|txs?|saques?|depositos?|ponte|bridge|explorer|explorador|sequenciador|sequencer|mainnet|carteira|wallet|gas)\b`,
  markers: r`\b(?:nao|voce|meu|minha|tem|muito|tudo|ninguem|da|do|das|dos|na|com|pra|aqui|agora|os|esta|sem|ao|uma|de|que|hoje|caiu)\b`,
  markerChars: r`[ãõ]`,
};
