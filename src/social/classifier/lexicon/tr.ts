/** Turkish, written without diacritics: matched on the folded text ("çöktü" → "coktu", "ı" → "i"). */
import { hint, negated, planned, price, promo, recovered, strong, weak, type Lexicon } from './types';

const r = String.raw;

export const tr: Lexicon = {
  lang: 'tr',
  form: 'folded',
  rules: [
    price(
      'price',
      r`\b(?:fiyat\w*|deger\w*|dusus\w*|yukselis\w*|ayi\s+piyasa\w*|boga\w*|dip\s+alim\w*|alim\w*|satis\w*|sat(?:tim|iyor|in)|cakildi|dump\w*|pump\w*|kar\b|zarar\w*|stop\s+oldum|piyasa\w*|dolar|borsa\w*)\b`,
    ),
    recovered(
      'recovered',
      r`\b(?:tekrar\s+calis\w+|yeniden\s+calis\w+|duzeldi|normale\s+don\w+|sorun\s+(?:giderildi|cozuldu)|geri\s+geldi|cozuldu)\b`,
    ),
    negated('ok', r`\b(?:sorun\s+yok|sorunsuz|gayet\s+iyi)\b`),
    planned('planned', r`\b(?:planli|planlanan|bakim\w*|yarin|onumuzdeki)\b`),
    planned('future', r`\b(?:pazar\s+gunu|olacak|olacaktir)\b`, { weight: -1.5 }),
    promo('promo', r`\b(?:lansman\w*|airdrop\w*|cekilis\w*|hediye\w*|kampanya\w*|odul\w*|rehber\w*|nasil\s+alinir|indir\w*|geliyor)\b`),
    strong(
      'coktu',
      r`\b(?:coktu|cokmus|calismiyor|calismiyo|durdu|durmus|yanit\s+vermiyor|cevap\s+vermiyor|baglanamiyor\w*|erisilemiyor|uretmiyor|takildi|takili|kesinti\w*|ariza\w*|onaylanmiyor|gitmiyor|gondermiyor|gecmiyor)\b`,
    ),
    weak('weak', r`\b(?:onay\s+bekli\w*|beklemede|hata\w*|sorun\w*|yavas|gecikme\w*|zaman\s+asimi)\b`),
    weak('dustu', r`\bdustu\b`, { priceSensitive: true }),
    hint('question', r`\b(?:benim\s+mi|herkeste\s+mi|sadece\s+ben|ne\s+oluyor)\b`),
  ],
  infra: r`\b(?:rpc\w*|node\w*|blok\w*|ag|agi\w*|agin\w*|zincir\w*|islem\w*|transfer\w*|cekim\w*|kopru\w*|explorer|sequencer|mainnet|cuzdan\w*|gas)\b`,
  markers: r`\b(?:bir|ve|bu|mi|mu|icin|var|yok|cok|hic|ama|neden|ile|gibi|daha|sonra|bugun|ben|degil|zamani)\b`,
  markerChars: r`[şğı]`,
};
