/** German, written without umlauts: matched on the folded text ("hängt" → "hangt", "ß" → "ss"). */
import { hint, negated, planned, price, promo, recovered, strong, weak, type Lexicon } from './types';

const r = String.raw;

export const de: Lexicon = {
  lang: 'de',
  form: 'folded',
  rules: [
    price(
      'price',
      r`\b(?:kurs\w*|preis\w*|gefallen\s+um|(?:minus|plus)\s+\d|barisch\w*|bullisch\w*|bricht\s+ein|verloren|verlust\w*|kaufen|verkaufen|markt\w*|dump\w*|pump\w*|dip|euro|dollar|crash\w*)\b`,
    ),
    recovered(
      'recovered',
      r`\b(?:lauft\s+wieder|funktioniert\s+wieder|wieder\s+(?:online|erreichbar|da|normal|stabil)|behoben|wiederhergestellt|gelost|repariert)\b`,
    ),
    negated('ok', r`\b(?:keine\s+probleme|kein\s+problem|lauft\s+(?:stabil|einwandfrei|problemlos)|alles\s+(?:gut|ok|in\s+ordnung))\b`),
    planned('planned', r`\b(?:geplant\w*|wartung\w*|angekundigt|morgen|nachste\s+woche)\b`),
    planned('weekday', r`\bam\s+(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)\b`, { weight: -1.5 }),
    promo('promo', r`\b(?:launch\w*|start\s+morgen|airdrop\w*|gewinnspiel\w*|zu\s+gewinnen|verlosung|abholen|herunterladen|lade\s+dir)\b`),
    strong(
      'ausgefallen',
      r`\b(?:ausgefallen|ausfall\w*|storung\w*|gestoppt|nicht\s+erreichbar|antwortet\s+nicht|funktioniert\s+nicht|(?:geht|gehen)\s+nicht(?:\s+durch)?|keine\s+verbindung|(?:ist|sind)\s+down)\b`,
    ),
    strong('keine-blocke', r`\bkeine\s+(?:neuen\s+)?blocke\b|\bproduziert\s+keine\b|\bnichts\s+wird\s+bestatigt\b|\bnicht\s+bestatigt\b`),
    strong(
      'hangt',
      r`\b(?:hangt|hangen)(?:\s+fest)?\b|\b(?:chain|netzwerk|kette|blockchain|sequencer|node|rpc|explorer|bridge)\s+(?:\w+\s+)?steht\b`,
    ),
    strong('kann-nicht', r`\bkann\s+(?:mich\s+)?nicht\s+(?:\w+\s+)?(?:verbinden|abheben|senden|uberweisen|bridgen|auszahlen|einzahlen)\b`),
    weak('weak', r`\b(?:lahmt|probleme?|fehler\w*|langsam|verzogerung\w*|timeout\w*)\b`),
    weak('stuerzt-ab', r`\bsturzt\s+ab\b|\babgesturzt\b`, { priceSensitive: true }),
    hint('question', r`\b(?:noch\s+jemand|nur\s+bei\s+mir|was\s+ist\s+los)\b`),
  ],
  infra: r`\b(?:rpc|node|nodes|knoten|block\w*|blocke|chain|kette|netzwerk|transaktion\w*|txs?|auszahlung\w*|einzahlung\w*|bridge|brucke|explorer|sequencer|mainnet|wallet|gas)\b`,
  markers: r`\b(?:der|die|das|ist|nicht|und|ich|keine?|mehr|seit|noch|mit|auf|bei|wieder|kann|jemand|gerade|nur|dir|den|dem|heute|einer)\b`,
  markerChars: r`[äöüß]`,
};
