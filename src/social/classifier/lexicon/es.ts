/** Spanish, written without accents: matched on the folded text ("caído" → "caido"). */
import { hint, negated, planned, price, promo, recovered, strong, weak, type Lexicon } from './types';

const r = String.raw;

export const es: Lexicon = {
  lang: 'es',
  form: 'folded',
  rules: [
    price(
      'fell-n',
      r`\b(?:ha\s+)?(?:cayo|caido|cae|cayendo|bajo|bajado|baja|bajando|subio|sube|subiendo|perdio|pierde)\s+(?:un\s+|el\s+|mas\s+de\s+|casi\s+)?\d`,
    ),
    price(
      'price',
      r`\b(?:precios?|cotizacion|bajista|alcista|desplom\w*|mercado|valor|compr\w+|vend\w+|dump\w*|pump\w*|ganancias|perdidas|dip|ballenas|velas?|grafico|soporte|resistencia|panico)\b`,
    ),
    price('bajando', r`\b(?:sigue\s+)?(?:bajando|cayendo|subiendo)\b`, { weight: -2 }),
    recovered(
      'recovered',
      r`\b(?:ya\s+funciona|ya\s+esta\s+funcionando|funciona\w*\s+(?:otra\s+vez|de\s+nuevo|con\s+normalidad|normal)|restablec\w+|resuelt[oa]|solucionad[oa]|volvio|se\s+recupero|normalidad|arreglad[oa])\b`,
    ),
    negated('ok', r`\b(?:no\s+(?:esta|estan)\s+caid[oa]s?|sin\s+problemas|todo\s+bien|funciona\s+(?:perfecto|bien)|pero\s+funciona)\b`),
    planned(
      'planned',
      r`\b(?:programad[oa]|planificad[oa]|previst[oa]|mantenimiento|manana|proxim[oa]\s+(?:semana|domingo|lunes|martes|miercoles|jueves|viernes|sabado))\b`,
    ),
    planned('weekday', r`\bel\s+(?:domingo|lunes|martes|miercoles|jueves|viernes|sabado)\b`, { weight: -1.5 }),
    promo(
      'promo',
      r`\b(?:lanza\w*|lanzamiento|airdrop\w*|sorteo|regal\w+|reclama\w*|tutorial|guia|como\s+hacer|descarga\w*|da\s+rt|sigue\s+la\s+cuenta)\b`,
    ),
    strong('caido', r`\b(?:esta|estan)\s+caid[oa]s?|\bcaid[oa]s?\b|\bse\s+cayo\b|\bcaida\s+(?:de\s+la\s+red|del\s+rpc|total)`),
    strong(
      'no-funciona',
      r`\bno\s+(?:me\s+)?(?:funciona|responde|carga|conecta|produce|confirma|avanza|se\s+actualiza|se\s+confirma)\b|\bsin\s+(?:producir\s+)?bloques\b|\bsin\s+(?:confirmar|confirmarse|procesar)\b|\bfuera\s+de\s+servicio\b|\bsin\s+servicio\b|\binterrupcion\b`,
    ),
    strong(
      'detenida',
      r`\b(?:esta|estan)\s+(?:detenid[oa]s?|parad[oa]s?|congelad[oa]s?|atascad[oa]s?|colgad[oa]s?)\b|\batascad[oa]s\b|\bdetenid[oa]\b`,
    ),
    strong(
      'no-puedo',
      r`\bno\s+(?:puedo|podemos|se\s+puede)\s+(?:\w+\s+)?(?:enviar|conectar|retirar|transferir|hacer|mandar|usar|acceder|sacar|depositar)\b`,
    ),
    weak('weak', r`\b(?:pendientes?|error(?:es)?|problemas?|fall(?:a|as|ando|o)|lent[oa]|atascad[oa]|parad[oa]|congelad[oa]|colgad[oa])\b`),
    weak('cayo', r`\b(?:cayo|cae)\b`, { priceSensitive: true }),
    hint('question', r`\b(?:alguien\s+mas|a\s+alguien\s+mas|solo\s+yo|que\s+pasa|que\s+esta\s+pasando)\b`),
  ],
  infra: r`\b(?:rpc|nodos?|bloques?|cadena|red|transacci\w+|txs?|retiros?|depositos?|puente|bridge|explorador|explorer|secuenciador|sequencer|mainnet|wallet|billetera|cartera|gas)\b`,
  markers: r`\b(?:el|los|las|esta|estan|pero|puedo|hay|hace|desde|muy|tambien|ninguna?|nada|una|porque|que|del|por|mis|con|sin|ya|se|cuenta|hoy)\b`,
  markerChars: r`[¿¡ñ]`,
};
