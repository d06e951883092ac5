/** French, written without accents: matched on the folded text ("arrêtée" → "arretee"). */
import { hint, negated, planned, price, promo, recovered, strong, weak, type Lexicon } from './types';

const r = String.raw;

export const fr: Lexicon = {
  lang: 'fr',
  form: 'folded',
  rules: [
    price('baisse-n', r`\b(?:en\s+)?(?:baisse|hausse|chute|recul)\s+(?:de\s+)?[-+]?\d`),
    price(
      'price',
      r`\b(?:en\s+baisse|en\s+hausse|prix|baissier\w*|haussier\w*|degringol\w*|s'?effondr\w+|effondrement|marche|achet\w+|vendr\w*|dump\w*|pump\w*|dip|perte\w*|plonge\w*|(?:le|du|les|des)\s+cours)\b`,
    ),
    recovered(
      'recovered',
      r`\b(?:retabli\w*|refonctionne\w*|fonctionne\s+(?:de\s+nouveau|a\s+nouveau|normalement)|resolu\w*|repare\w*|revenu\w*\s+a\s+la\s+normale|remis\w*\s+en\s+(?:ligne|route)|de\s+retour)\b`,
    ),
    negated('ok', r`\b(?:aucun\s+(?:souci|probleme)|pas\s+de\s+(?:souci|probleme|panne)|fonctionne\s+(?:tres\s+)?bien|tout\s+va\s+bien)\b`),
    planned('planned', r`\b(?:prevue?s?|programmee?s?|planifiee?s?|maintenance|demain|la\s+semaine\s+prochaine)\b`),
    planned('weekday', r`\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b`, { weight: -1.5 }),
    promo('promo', r`\b(?:lancement|lance\w*|airdrop\w*|concours|gagne[rz]?|a\s+gagner|cadeau\w*|reclame[rz]?|telecharg\w+|tutoriel)\b`),
    strong(
      'panne',
      r`\ben\s+panne\b|\bpanne\b|\bhors\s+(?:service|ligne)\b|\ba\s+l'?arret\b|\binjoignable\b|\binaccessible\b|\bindisponible\b|\bplante\b`,
    ),
    strong(
      'ne-fonctionne',
      r`\bne\s+(?:fonctionne|repond|marche|charge|produit|confirme|se\s+confirme|avance|se\s+connecte)\b|\bplus\s+de\s+(?:nouveaux\s+)?blocs\b|\baucun\s+(?:nouveau\s+)?bloc\b|\bn'?\s*aboutiss\w*`,
    ),
    strong('arretee', r`\b(?:est|sont)\s+(?:arretee?s?|bloquee?s?|plantee?s?|tombee?s?|gelee?s?|coincee?s?)\b|\bbloquee?s?\b`),
    strong(
      'impossible',
      r`\bimpossible\s+de\s+(?:me\s+|se\s+)?(?:\w+\s+)?(?:connecter|retirer|envoyer|transferer|bridger|acceder|faire|deposer)\b`,
    ),
    weak('weak', r`\b(?:rame|en\s+attente|erreurs?|problemes?|lent\w*|bug\w*|souci\w*|timeout)\b`),
    hint('question', r`\b(?:quelqu'?un\s+d'?autre|moi\s+seul|c'?est\s+moi\s+ou|il\s+se\s+passe\s+quoi)\b`),
  ],
  infra: r`\b(?:rpc|noeuds?|node|blocs?|chaine|reseau|transactions?|txs?|retraits?|depots?|pont|bridge|explorateur|explorer|sequenceur|sequencer|mainnet|wallet|portefeuille|gas)\b`,
  markers: r`\b(?:le|la|les|est|pas|ne|des|du|une|je|sur|depuis|plus|rien|mon|avec|pour|et|au|aux|ce|c'est|qu|l|d|aujourd'hui|ce\s+matin)\b`,
  markerChars: r`[èêàç]`,
};
