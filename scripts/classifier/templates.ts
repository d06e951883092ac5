/**
 * Templates for the classifier corpus, expanded by make-corpus.ts with a seeded generator.
 * Each frame is a hand-written sentence with slots; the slots carry what templates are good
 * at teaching and hand-written posts are not: numbers. A latest block {MIN} minutes old is a
 * report, {SEC} seconds old is not; two clock times {T1}/{T2} far apart are a report; the
 * same frame with a past-time word is not.
 *
 * Slots: {NET} a watched network's name (the line's network), {EXPL} an explorer or RPC host of
 * that network, {OTHER} a chain nobody watches (network null), {MIN} 5–90, {SEC} 1–12,
 * {HRS} 2–9, {BLOCK} a block number written the language's way, {HEX} a hex height,
 * {T1}/{T2} clock times {MIN} apart (T2 later), {PCT} 5–60, {E} an emoji or nothing.
 * A frame with {NET} or {EXPL} is about one watched network; otherwise the network is null.
 * A frame may start with "[category] " when its category differs from its template's.
 */

export interface Template {
  id: string;
  lang: string;
  outage: boolean;
  category: string;
  frames: readonly string[];
}

const t = (id: string, lang: string, outage: boolean, category: string, frames: string[]): Template => ({ id, lang, outage, category, frames });

export const TEMPLATES: readonly Template[] = [
  // ---------------------------------------------------------------- English
  t('en-stale', 'en', true, 'kwless-stale-block', [
    '{EXPL} latest block {MIN} min ago {E}',
    'last block on {EXPL} was {MIN} minutes ago, {NET} ok?',
    '{NET} head is {MIN} mins old',
    "it's {T2} and the newest {NET} block is from {T1}",
    'latest block timestamp {T1}, my clock says {T2}. {NET} stuck?',
    'block age {MIN}m on {EXPL} {E}',
    '{NET}: no new block in the last {MIN} minutes',
    'newest block on the explorer: {MIN} min ago. for {NET} that is insane',
  ]),
  t('en-healthy', 'en', false, 'neg-healthy-block', [
    '{EXPL} latest block {SEC}s ago {E}',
    'last block on {EXPL} was {SEC} seconds ago, all normal',
    '{NET} head is {SEC} secs old, healthy',
    'newest {NET} block {SEC} sec ago, blocks flowing',
    'block age {SEC}s on {EXPL}, nothing to see',
  ]),
  t('en-same', 'en', true, 'kwless-same-height', [
    'eth_blockNumber on {NET} returns {HEX} for {MIN} minutes now',
    '{NET} height stuck at {BLOCK} since {T1}',
    'polled {NET} {MIN} times, block number always {BLOCK}',
    '{EXPL} still showing block {BLOCK}, refreshed for {MIN} min',
  ]),
  t('en-mempool', 'en', true, 'kwless-mempool', [
    'nothing included on {NET} since block {BLOCK}, mempool keeps growing',
    'my tx has been in the {NET} mempool for {MIN} min, no block since {BLOCK}',
    'txs piling up in the mempool, last included block {BLOCK} at {T1} {E}',
  ]),
  t('en-feed', 'en', true, 'kwless-feed-quiet', [
    '{NET} sequencer feed silent for {MIN} minutes',
    'no newHeads from the {NET} websocket since {T1}',
    '{NET} realtime endpoint quiet for {MIN} min, zero messages',
  ]),
  t('en-tps', 'en', true, 'kwless-tps-zero', ['{NET} tps at 0 for {MIN} minutes {E}', 'tps chart for {NET} flat at zero since {T1}']),
  t('en-deposit', 'en', true, 'kwless-l2-deposit', [
    'L1 deposit confirmed {MIN} min ago, still no new {NET} block',
    'bridged to {NET} at {T1}, L1 side done, L2 hasn’t produced a block since',
  ]),
  t('en-report', 'en', true, 'report', [
    '{NET} is down {E}',
    '{NET} rpc down for {MIN} min',
    '{NET} halted? no blocks since {T1}',
    'is {NET} down? {E}',
    '{EXPL} and the rpc both down, {NET} halted',
    '{NET} sequencer down again',
  ]),
  t('en-other', 'en', true, 'report', ['{OTHER} is down again {E}', '{OTHER} halted, no blocks for {MIN} min', 'latest {OTHER} block {MIN} minutes ago']),
  t('en-past', 'en', false, 'neg-past', [
    '{NET} was down for {HRS} hours yesterday',
    'last week {NET} blocks stopped for {MIN} minutes, all fine since',
    'yesterday the {NET} rpc was out from {T1} to {T2}',
    'remember when {NET} halted for {HRS} hours? lol',
    '{NET} stopped producing blocks for {HRS}h last month, postmortem is out',
  ]),
  t('en-reorg-past', 'en', false, 'neg-reorg-past', ['last week {NET} had a {SEC}-block reorg, funds safe', 'the {NET} reorg yesterday rolled back {SEC} blocks, writeup below']),
  t('en-reorg-now', 'en', true, 'reorg-now', ['{NET} reorging right now, {SEC} blocks rolled back in the last minute']),
  t('en-price', 'en', false, 'neg-price', [
    '{NET} down {PCT}% today {E}',
    '${TICK} lost {PCT}% this week, chart bleeding',
    'market collapsed, {NET} token -{PCT}%',
    '{NET} ecosystem tokens dumping {PCT}% {E}',
  ]),
  t('en-personal', 'en', false, 'neg-personal', [
    'paused my {NET} bot for {HRS} hours',
    'my {NET} node is down for maintenance, back in {HRS}h',
    'was offline for {HRS} days, did {NET} do anything?',
    'fees on {NET} went down {PCT}%, so happy',
  ]),
  t('en-recovered', 'en', false, 'neg-recovered', ['{NET} back up after {MIN} minutes', '{NET} blocks flowing again since {T2}']),
  // ---------------------------------------------------------------- Japanese
  t('ja-stale', 'ja', true, 'kwless-stale-block', [
    '{EXPL}の最新ブロックが{MIN}分前{E}',
    '{NET}の最後のブロック、{MIN}分前のまま',
    '今{T2}なのに{NET}の最新ブロックは{T1}',
    '{NET}、{MIN}分間新しいブロックなし',
    '{NET}のブロックが{MIN}分以上進んでない',
  ]),
  t('ja-healthy', 'ja', false, 'neg-healthy-block', ['{EXPL}の最新ブロック{SEC}秒前{E}', '{NET}の最新ブロックは{SEC}秒前、正常', '{NET}、ブロック{SEC}秒ごとに出てる']),
  t('ja-same', 'ja', true, 'kwless-same-height', ['{NET}のeth_blockNumberが{MIN}分間ずっと{HEX}', '{NET}のブロック高さが{T1}から{BLOCK}のまま', '{EXPL}がブロック{BLOCK}から動かない、{MIN}分']),
  t('ja-mempool', 'ja', true, 'kwless-mempool', ['{NET}、ブロック{BLOCK}以降何も取り込まれてない', '{NET}でtx送って{MIN}分、mempoolから出てこない']),
  t('ja-quiet', 'ja', true, 'kwless-feed-quiet', ['{NET}、{MIN}分くらい何の反応もない', '{NET}のwebsocket、{T1}から何も来ない']),
  t('ja-report', 'ja', true, 'report', ['{NET}落ちてる？{E}', '{NET}のRPCが{MIN}分繋がらない', '{NET}止まってる、{T1}からブロックなし']),
  t('ja-past', 'ja', false, 'neg-past', ['昨日{NET}が{HRS}時間止まってた', '先週{NET}のブロックが{MIN}分止まったけど今は普通', '{NET}、昨日{T1}から{T2}まで落ちてたらしい']),
  t('ja-price', 'ja', false, 'neg-price', ['{NET}のトークン今日{PCT}%下落{E}', '${TICK} 今週{PCT}%下げ、チャート真っ赤']),
  t('ja-personal', 'ja', false, 'neg-personal', ['{NET}のbotを{HRS}時間止めてる', '{HRS}日間オフラインだった、{NET}なにかあった？', '{NET}のガス代が{PCT}%下がって嬉しい']),
  // ---------------------------------------------------------------- Chinese
  t('zh-stale', 'zh', true, 'kwless-stale-block', [
    '{EXPL} 最新区块是 {MIN} 分钟前{E}',
    '{NET} 最后一个区块还是 {MIN} 分钟前的',
    '现在 {T2}，{NET} 最新区块还停在 {T1}',
    '{NET} 已经 {MIN} 分钟没有新区块',
  ]),
  t('zh-healthy', 'zh', false, 'neg-healthy-block', ['{EXPL} 最新区块 {SEC} 秒前{E}', '{NET} 最新区块 {SEC} 秒前，正常', '{NET} 每 {SEC} 秒一个块，很稳']),
  t('zh-same', 'zh', true, 'kwless-same-height', ['{NET} 的 eth_blockNumber {MIN} 分钟一直是 {HEX}', '{NET} 高度从 {T1} 起就停在 {BLOCK}', '{EXPL} 一直显示区块 {BLOCK}，刷了 {MIN} 分钟']),
  t('zh-mempool', 'zh', true, 'kwless-mempool', ['{NET} 区块 {BLOCK} 之后一笔交易都没打包', '在 {NET} 发的交易在内存池里躺了 {MIN} 分钟']),
  t('zh-report', 'zh', true, 'report', ['{NET} 挂了？{E}', '{NET} RPC {MIN} 分钟连不上', '{NET} 停链了，{T1} 之后没出块']),
  t('zh-past', 'zh', false, 'neg-past', ['昨天 {NET} 停了 {HRS} 个小时', '上周 {NET} 停了 {MIN} 分钟，后来都正常了', '{NET} 昨天 {T1} 到 {T2} 宕机过']),
  t('zh-price', 'zh', false, 'neg-price', ['{NET} 生态代币今天跌了 {PCT}%{E}', '${TICK} 这周跌 {PCT}%，K线一片绿']),
  t('zh-personal', 'zh', false, 'neg-personal', ['我把 {NET} 机器人停了 {HRS} 小时', '我 {HRS} 天没上线，{NET} 有啥事吗？', '{NET} 手续费降了 {PCT}%，开心']),
  // ---------------------------------------------------------------- Korean
  t('ko-stale', 'ko', true, 'kwless-stale-block', [
    '{EXPL} 최신 블록이 {MIN}분 전{E}',
    '{NET} 마지막 블록 {MIN}분 전 그대로',
    '지금 {T2}인데 {NET} 최신 블록은 {T1}',
    '{NET} {MIN}분째 새 블록 없음',
  ]),
  t('ko-healthy', 'ko', false, 'neg-healthy-block', ['{EXPL} 최신 블록 {SEC}초 전{E}', '{NET} 최신 블록 {SEC}초 전 정상', '{NET} {SEC}초마다 블록 잘 나옴']),
  t('ko-same', 'ko', true, 'kwless-same-height', ['{NET} eth_blockNumber {MIN}분째 {HEX}', '{NET} 블록 높이 {T1}부터 {BLOCK} 그대로', '{EXPL} 블록 {BLOCK}에서 {MIN}분째 안 움직임']),
  t('ko-mempool', 'ko', true, 'kwless-mempool', ['{NET} 블록 {BLOCK} 이후로 포함된 트잭 없음', '{NET}에 보낸 트잭 {MIN}분째 멤풀에 있음']),
  t('ko-report', 'ko', true, 'report', ['{NET} 다운됐나요? {E}', '{NET} RPC {MIN}분째 먹통', '{NET} 멈췄어요 {T1}부터 블록 없음']),
  t('ko-past', 'ko', false, 'neg-past', ['어제 {NET} {HRS}시간 멈췄었죠', '지난주 {NET} 블록 {MIN}분 멈췄다가 지금은 정상', '어제 {T1}부터 {T2}까지 {NET} 다운됐었대요']),
  t('ko-price', 'ko', false, 'neg-price', ['{NET} 생태계 토큰 오늘 {PCT}% 하락{E}', '${TICK} 이번 주 {PCT}% 빠짐 차트 파랗다']),
  t('ko-personal', 'ko', false, 'neg-personal', ['제 {NET} 봇 {HRS}시간 꺼뒀어요', '{HRS}일 동안 오프라인이었는데 {NET} 무슨 일 있었나요?', '{NET} 가스비 {PCT}% 내려가서 좋네요']),
  // ---------------------------------------------------------------- Spanish
  t('es-stale', 'es', true, 'kwless-stale-block', [
    '{EXPL} último bloque hace {MIN} min{E}',
    'el último bloque de {NET} fue hace {MIN} minutos',
    'son las {T2} y el bloque más nuevo de {NET} es de las {T1}',
    '{NET} sin bloque nuevo en los últimos {MIN} minutos',
    'el head de {NET} tiene {MIN} minutos, ¿todo bien?',
  ]),
  t('es-healthy', 'es', false, 'neg-healthy-block', ['{EXPL} último bloque hace {SEC}s{E}', 'último bloque de {NET} hace {SEC} segundos, normal', '{NET} sacando bloques cada {SEC} segundos, perfecto']),
  t('es-same', 'es', true, 'kwless-same-height', ['eth_blockNumber en {NET} devuelve {HEX} desde hace {MIN} minutos', 'la altura de {NET} sigue en {BLOCK} desde las {T1}', '{EXPL} clavado en el bloque {BLOCK}, llevo {MIN} min refrescando']),
  t('es-mempool', 'es', true, 'kwless-mempool', ['nada incluido en {NET} desde el bloque {BLOCK}', 'mi tx lleva {MIN} min en la mempool de {NET}']),
  t('es-report', 'es', true, 'report', ['{NET} caído {E}', '¿{NET} está caído? el rpc no responde hace {MIN} min', '{NET} detenido, sin bloques desde las {T1}']),
  t('es-past', 'es', false, 'neg-past', ['ayer {NET} estuvo caído {HRS} horas', 'la semana pasada {NET} paró {MIN} minutos, ya todo normal', 'ayer {NET} se cayó de {T1} a {T2}']),
  t('es-price', 'es', false, 'neg-price', [
    'el token de {NET} perdió un {PCT}% hoy{E}',
    '${TICK} se desangra, -{PCT}% esta semana',
    'el mercado colapsó, {NET} -{PCT}%',
    '${TICK} perdió un tercio de su valor, el gráfico sangrando',
  ]),
  t('es-personal', 'es', false, 'neg-personal', [
    'pausé mi bot de {NET} por {HRS} horas',
    'estuve {HRS} días desconectado, ¿pasó algo con {NET}?',
    'qué bien que bajaron las comisiones en {NET}, -{PCT}%',
    'mi script de {NET} estaba roto, la red estaba bien',
  ]),
  // ---------------------------------------------------------------- Portuguese
  t('pt-stale', 'pt', true, 'kwless-stale-block', [
    '{EXPL} último bloco há {MIN} min{E}',
    'o último bloco da {NET} foi há {MIN} minutos',
    'são {T2} e o bloco mais novo da {NET} é das {T1}',
    '{NET} sem bloco novo nos últimos {MIN} minutos',
  ]),
  t('pt-healthy', 'pt', false, 'neg-healthy-block', ['{EXPL} último bloco há {SEC}s{E}', 'último bloco da {NET} há {SEC} segundos, normal', '{NET} soltando bloco a cada {SEC} segundos']),
  t('pt-same', 'pt', true, 'kwless-same-height', ['eth_blockNumber na {NET} devolve {HEX} faz {MIN} minutos', 'a altura da {NET} continua em {BLOCK} desde {T1}', '{EXPL} parado no bloco {BLOCK}, {MIN} min atualizando']),
  t('pt-mempool', 'pt', true, 'kwless-mempool', ['nada incluído na {NET} desde o bloco {BLOCK}', 'minha tx tá há {MIN} min na mempool da {NET}']),
  t('pt-report', 'pt', true, 'report', ['{NET} fora do ar {E}', 'a {NET} caiu? rpc sem responder há {MIN} min', '{NET} parada, sem bloco desde {T1}']),
  t('pt-past', 'pt', false, 'neg-past', ['ontem a {NET} ficou {HRS} horas fora do ar', 'semana passada a {NET} parou {MIN} minutos, agora normal', 'ontem a {NET} caiu das {T1} às {T2}']),
  t('pt-price', 'pt', false, 'neg-price', ['o token da {NET} perdeu {PCT}% hoje{E}', '${TICK} sangrando, -{PCT}% na semana', 'o mercado desabou, {NET} -{PCT}%']),
  t('pt-personal', 'pt', false, 'neg-personal', ['pausei meu bot da {NET} por {HRS} horas', 'fiquei {HRS} dias offline, aconteceu algo com a {NET}?', 'que bom que as taxas da {NET} caíram {PCT}%']),
  // ---------------------------------------------------------------- Russian
  t('ru-stale', 'ru', true, 'kwless-stale-block', [
    '{EXPL} последний блок {MIN} минут назад{E}',
    'последний блок {NET} был {MIN} мин назад',
    'сейчас {T2}, а последний блок {NET} в {T1}',
    '{NET} уже {MIN} минут без новых блоков',
    '{NET} уже {MIN} минут никакой реакции',
  ]),
  t('ru-healthy', 'ru', false, 'neg-healthy-block', ['{EXPL} последний блок {SEC} секунд назад{E}', 'последний блок {NET} {SEC} с назад, норм', '{NET} блоки каждые {SEC} секунды, всё штатно']),
  t('ru-same', 'ru', true, 'kwless-same-height', ['eth_blockNumber в {NET} уже {MIN} минут отдаёт {HEX}', 'высота {NET} с {T1} стоит на {BLOCK}', '{EXPL} застыл на блоке {BLOCK}, обновляю {MIN} минут']),
  t('ru-mempool', 'ru', true, 'kwless-mempool', ['в {NET} после блока {BLOCK} ничего не включено', 'моя транза {MIN} минут в мемпуле {NET}']),
  t('ru-report', 'ru', true, 'report', ['{NET} лежит {E}', '{NET} упал? rpc не отвечает {MIN} минут', '{NET} встал, нет блоков с {T1}']),
  t('ru-past', 'ru', false, 'neg-past', ['вчера {NET} лежал {HRS} часа', 'на прошлой неделе {NET} стоял {MIN} минут, сейчас всё ок', 'вчера {NET} не работал с {T1} до {T2}']),
  t('ru-price', 'ru', false, 'neg-price', ['токен {NET} сегодня минус {PCT}%{E}', '${TICK} истекает кровью, -{PCT}% за неделю', 'рынок рухнул, {NET} -{PCT}%']),
  t('ru-personal', 'ru', false, 'neg-personal', ['поставил своего бота на {NET} на паузу на {HRS} часа', 'я {HRS} дня был офлайн, что-то было с {NET}?', 'комиссии в {NET} снизились на {PCT}%, рад']),
  // ---------------------------------------------------------------- Turkish
  t('tr-stale', 'tr', true, 'kwless-stale-block', [
    '{EXPL} son blok {MIN} dakika önce{E}',
    '{NET} son bloğu {MIN} dk önceydi',
    'saat {T2} ama {NET} son bloğu {T1}',
    '{NET} {MIN} dakikadır yeni blok yok',
  ]),
  t('tr-healthy', 'tr', false, 'neg-healthy-block', ['{EXPL} son blok {SEC} saniye önce{E}', '{NET} son blok {SEC} sn önce, normal', '{NET} her {SEC} saniyede blok, sorunsuz']),
  t('tr-same', 'tr', true, 'kwless-same-height', ['{NET} eth_blockNumber {MIN} dakikadır {HEX} dönüyor', '{NET} yüksekliği {T1}’den beri {BLOCK}', '{EXPL} {BLOCK} numaralı blokta, {MIN} dk yeniliyorum']),
  t('tr-mempool', 'tr', true, 'kwless-mempool', ['{NET} {BLOCK} numaralı bloktan beri hiçbir işlem dahil edilmedi', 'işlemim {MIN} dakikadır {NET} mempool’unda']),
  t('tr-report', 'tr', true, 'report', ['{NET} çöktü {E}', '{NET} çöktü mü? rpc {MIN} dakikadır cevap vermiyor', '{NET} durdu, {T1}’den beri blok yok']),
  t('tr-past', 'tr', false, 'neg-past', ['dün {NET} {HRS} saat çöktü', 'geçen hafta {NET} {MIN} dakika durmuştu, şimdi normal', 'dün {NET} {T1} ile {T2} arası çalışmadı']),
  t('tr-price', 'tr', false, 'neg-price', [
    '{NET} tokeni bugün %{PCT} değer kaybetti{E}',
    '${TICK} kan kaybediyor, haftalık -%{PCT}',
    'piyasa çöktü, {NET} -%{PCT}',
    '${TICK} değerinin üçte birini kaybetti, grafik kırmızı',
  ]),
  t('tr-personal', 'tr', false, 'neg-personal', [
    '{NET} botumu {HRS} saatliğine durdurdum',
    '{HRS} gün çevrimdışıydım, {NET}’te bir şey oldu mu?',
    '{NET} ücretleri %{PCT} düştü, çok sevindim',
    'kendi {NET} scriptim bozukmuş, ağda sorun yokmuş',
  ]),
  // ---------------------------------------------------------------- Vietnamese
  t('vi-stale', 'vi', true, 'kwless-stale-block', [
    '{EXPL} block mới nhất {MIN} phút trước{E}',
    'block cuối của {NET} là {MIN} phút trước',
    'giờ là {T2} mà block mới nhất của {NET} vẫn là {T1}',
    '{NET} {MIN} phút rồi không có block mới',
  ]),
  t('vi-healthy', 'vi', false, 'neg-healthy-block', ['{EXPL} block mới nhất {SEC} giây trước{E}', 'block mới nhất của {NET} {SEC} giây trước, bình thường', '{NET} cứ {SEC} giây một block, ổn']),
  t('vi-same', 'vi', true, 'kwless-same-height', ['eth_blockNumber trên {NET} trả {HEX} suốt {MIN} phút', 'chiều cao {NET} từ {T1} vẫn ở {BLOCK}', '{EXPL} đứng ở block {BLOCK}, refresh {MIN} phút rồi']),
  t('vi-mempool', 'vi', true, 'kwless-mempool', ['trên {NET} từ block {BLOCK} không có giao dịch nào được đưa vào', 'giao dịch của mình nằm trong mempool {NET} {MIN} phút']),
  t('vi-report', 'vi', true, 'report', ['{NET} sập rồi {E}', '{NET} sập à? rpc {MIN} phút không phản hồi', '{NET} dừng, không có block từ {T1}']),
  t('vi-past', 'vi', false, 'neg-past', ['hôm qua {NET} sập {HRS} tiếng', 'tuần trước {NET} dừng {MIN} phút, giờ bình thường', 'hôm qua {NET} ngừng từ {T1} đến {T2}']),
  t('vi-price', 'vi', false, 'neg-price', ['token {NET} hôm nay giảm {PCT}%{E}', '${TICK} đỏ lòm, -{PCT}% tuần này', 'thị trường sụp, {NET} -{PCT}%']),
  t('vi-personal', 'vi', false, 'neg-personal', ['mình tạm dừng bot {NET} {HRS} tiếng', 'mình offline {HRS} ngày, {NET} có chuyện gì không?', 'phí trên {NET} giảm {PCT}%, vui ghê']),
  // ---------------------------------------------------------------- French
  t('fr-stale', 'fr', true, 'kwless-stale-block', [
    '{EXPL} dernier bloc il y a {MIN} min{E}',
    'le dernier bloc de {NET} date d’il y a {MIN} minutes',
    'il est {T2} et le bloc le plus récent de {NET} est de {T1}',
    '{NET} sans nouveau bloc depuis {MIN} minutes',
  ]),
  t('fr-healthy', 'fr', false, 'neg-healthy-block', ['{EXPL} dernier bloc il y a {SEC}s{E}', 'dernier bloc de {NET} il y a {SEC} secondes, normal', '{NET} sort un bloc toutes les {SEC} secondes, nickel']),
  t('fr-same', 'fr', true, 'kwless-same-height', ['eth_blockNumber sur {NET} renvoie {HEX} depuis {MIN} minutes', 'la hauteur de {NET} est bloquée à {BLOCK} depuis {T1}', '{EXPL} figé au bloc {BLOCK}, je rafraîchis depuis {MIN} min']),
  t('fr-mempool', 'fr', true, 'kwless-mempool', ['rien d’inclus sur {NET} depuis le bloc {BLOCK}', 'ma tx est dans la mempool de {NET} depuis {MIN} min']),
  t('fr-report', 'fr', true, 'report', ['{NET} en panne {E}', '{NET} est HS ? le rpc répond plus depuis {MIN} min', '{NET} à l’arrêt, pas de bloc depuis {T1}']),
  t('fr-past', 'fr', false, 'neg-past', ['hier {NET} est tombé {HRS} heures', 'la semaine dernière {NET} s’est arrêté {MIN} minutes, tout va bien maintenant', 'hier {NET} était en panne de {T1} à {T2}']),
  t('fr-price', 'fr', false, 'neg-price', ['le token de {NET} a perdu {PCT}% aujourd’hui{E}', '${TICK} saigne, -{PCT}% cette semaine', 'le marché s’est effondré, {NET} -{PCT}%']),
  t('fr-personal', 'fr', false, 'neg-personal', ['j’ai mis mon bot {NET} en pause {HRS} heures', 'j’étais hors ligne {HRS} jours, il s’est passé quoi sur {NET} ?', 'content que les frais de {NET} aient baissé de {PCT}%']),
  // ---------------------------------------------------------------- German
  t('de-stale', 'de', true, 'kwless-stale-block', [
    '{EXPL} letzter Block vor {MIN} Min{E}',
    'der letzte Block von {NET} war vor {MIN} Minuten',
    'es ist {T2} und der neueste {NET}-Block ist von {T1}',
    '{NET} seit {MIN} Minuten ohne neuen Block',
  ]),
  t('de-healthy', 'de', false, 'neg-healthy-block', ['{EXPL} letzter Block vor {SEC}s{E}', 'letzter Block von {NET} vor {SEC} Sekunden, normal', '{NET} macht alle {SEC} Sekunden einen Block, läuft']),
  t('de-same', 'de', true, 'kwless-same-height', ['eth_blockNumber auf {NET} liefert seit {MIN} Minuten {HEX}', 'die Höhe von {NET} steht seit {T1} bei {BLOCK}', '{EXPL} hängt bei Block {BLOCK}, ich lade seit {MIN} Min neu']),
  t('de-mempool', 'de', true, 'kwless-mempool', ['auf {NET} seit Block {BLOCK} nichts aufgenommen', 'meine Tx liegt seit {MIN} Min im Mempool von {NET}']),
  t('de-report', 'de', true, 'report', ['{NET} down {E}', 'ist {NET} down? RPC antwortet seit {MIN} Min nicht', '{NET} steht, seit {T1} kein Block']),
  t('de-past', 'de', false, 'neg-past', ['gestern war {NET} {HRS} Stunden down', 'letzte Woche stand {NET} {MIN} Minuten, jetzt alles normal', 'gestern war {NET} von {T1} bis {T2} ausgefallen']),
  t('de-price', 'de', false, 'neg-price', ['der {NET}-Token hat heute {PCT}% verloren{E}', '${TICK} blutet, -{PCT}% diese Woche', 'der Markt ist kollabiert, {NET} -{PCT}%']),
  t('de-personal', 'de', false, 'neg-personal', ['hab meinen {NET}-Bot für {HRS} Stunden pausiert', 'war {HRS} Tage offline, war was mit {NET}?', 'froh, dass die Gebühren auf {NET} um {PCT}% gesunken sind']),

  // ================================================================ Plain cases, every language
  // Outage words in the present tense and plain market/launch/recovery talk: the everyday posts
  // the lexicons already get right, so the model keeps their strength next to the tricky ones.
  t('en-plain', 'en', true, 'report', [
    '{NET} is down', '{NET} down?', '{NET} halted', '{NET} rpc not responding', '{NET} outage right now {E}', "can't connect to {NET}",
    '{NET} sequencer stalled', 'no new blocks on {NET}', '{NET} txs stuck pending', '{NET} not producing blocks', '{NET} chain halted, validators offline',
    '{NET} rpc connection refused', 'is {NET} having an outage?', '{NET} bridge broken, withdrawals failing', '{NET} completely dead rn',
  ]),
  t('en-plain-neg', 'en', false, 'neg-price', [
    '${TICK} down?', '${TICK} down {PCT}% {E}', '{NET} price down again', 'why is ${TICK} dumping', '${TICK} down bad', 'bearish on ${TICK}',
    '${TICK} crashing, buy the dip?', '{NET} market cap down {PCT}%', 'is ${TICK} going down more?', '${TICK} tanking today',
  ]),
  t('en-plain-other', 'en', false, 'neg-promo', [
    '[neg-promo] {NET} mainnet is live {E}', '[neg-promo] {NET} airdrop claim open', '[neg-chatter] gm {NET} fam', '[neg-chatter] building on {NET} this weekend', "[neg-offtopic] i'm down to test {NET} later",
    '[neg-recovered] {NET} is back up, all good', '[neg-planned] {NET} maintenance scheduled for tomorrow', '[neg-chatter] great thread on how {NET} works', '[neg-promo] {NET} just hit a new tvl record',
  ]),
  t('ja-plain', 'ja', true, 'report', [
    '{NET}落ちてる', '{NET}止まってる？', '{NET}障害発生中', '{NET}のRPCに繋がらない', '{NET}のブロック生成が止まった', '{NET}でtxが詰まってる',
    '{NET}使えない{E}', '{NET}のシーケンサーが停止してる', '{NET}ダウンしてる？', '{NET}に接続できない', '{NET}、送金が全部失敗する', '{NET}応答なし',
  ]),
  t('ja-plain-neg', 'ja', false, 'neg-price', [
    '{NET}の価格が下落', '${TICK}暴落{E}', '${TICK}下がってる、買い時？', '{NET}のトークン{PCT}%下げ', '{NET}相場やばい', '${TICK}含み損えぐい',
    '[neg-promo] {NET}のエアドロップ来た', '[neg-promo] {NET}メインネットローンチ！', '[neg-recovered] {NET}復旧しました', '[neg-planned] {NET}明日メンテナンス予定',
  ]),
  t('zh-plain', 'zh', true, 'report', [
    '{NET} 宕机了', '{NET} 挂了吗？', '{NET} 停止出块', '{NET} RPC 连不上', '{NET} 交易全部卡住', '{NET} 故障{E}', '{NET} 用不了',
    '{NET} 节点掛了', '{NET} 排序器停了', '{NET} 不出块了', '{NET} 无法连接', '{NET} 提现一直失败', '{NET} 瘫痪了',
  ]),
  t('zh-plain-neg', 'zh', false, 'neg-price', [
    '{NET} 价格下跌', '${TICK} 暴跌{E}', '${TICK} 跌了 {PCT}%', '{NET} 币价腰斩', '${TICK} 要抄底吗', '{NET} 行情太差',
    '[neg-promo] {NET} 空投来了', '[neg-promo] {NET} 主网上线', '[neg-recovered] {NET} 已恢复正常', '[neg-planned] {NET} 明天维护升级',
  ]),
  t('ko-plain', 'ko', true, 'report', [
    '{NET} 다운됐어요', '{NET} 먹통', '{NET} 장애 발생', '{NET} RPC 접속 안 돼요', '{NET} 블록 생성 멈춤', '{NET} 트랜잭션이 안 나가요{E}',
    '{NET} 멈췄나요?', '{NET} 연결 오류', '{NET} 출금 불가', '{NET} 응답이 없어요', '{NET} 시퀀서 중단', '{NET} 네트워크 장애인가요?',
  ]),
  t('ko-plain-neg', 'ko', false, 'neg-price', [
    '{NET} 가격 하락', '${TICK} 폭락{E}', '${TICK} {PCT}% 떡락', '{NET} 차트 박살', '${TICK} 물렸다', '{NET} 시세 너무 안 좋네',
    '[neg-promo] {NET} 에어드랍 이벤트', '[neg-promo] {NET} 메인넷 출시', '[neg-recovered] {NET} 복구 완료', '[neg-planned] {NET} 정기 점검 예정',
  ]),
  t('es-plain', 'es', true, 'report', [
    '{NET} está caído', '¿{NET} caído?', '{NET} no funciona', 'el RPC de {NET} no responde', '{NET} sin producir bloques', 'transacciones atascadas en {NET}{E}',
    'no puedo conectar con {NET}', '{NET} detenido', 'caída total de {NET}', '¿{NET} se cayó?', 'no puedo retirar de {NET}, todo falla', '{NET} fuera de servicio',
  ]),
  t('es-plain-neg', 'es', false, 'neg-price', [
    '${TICK} cayó un {PCT}%', 'el precio de ${TICK} sigue bajando{E}', '{NET} mercado bajista', '${TICK} se desploma', '¿compro ${TICK} en el dip?', '${TICK} baja otra vez',
    '[neg-promo] lanzamiento de {NET} mañana', '[neg-promo] sorteo en {NET}, da RT', '[neg-recovered] {NET} ya funciona con normalidad', '[neg-planned] mantenimiento programado en {NET}',
  ]),
  t('pt-plain', 'pt', true, 'report', [
    '{NET} fora do ar', 'a {NET} caiu?', '{NET} travou', 'o RPC da {NET} não responde', '{NET} sem blocos', 'transação travada na {NET}{E}',
    'não consigo conectar na {NET}', '{NET} parou', 'instabilidade na {NET}', '{NET} não funciona', 'não consigo sacar da {NET}', '{NET} indisponível',
  ]),
  t('pt-plain-neg', 'pt', false, 'neg-price', [
    '${TICK} caiu {PCT}%', 'o preço do ${TICK} despencou{E}', '{NET} em queda no mercado', 'hora de comprar ${TICK}?', '${TICK} derretendo', 'mercado baixista pra ${TICK}',
    '[neg-promo] lançamento da {NET} amanhã', '[neg-promo] airdrop da {NET}, participe', '[neg-recovered] {NET} voltou ao normal', '[neg-planned] manutenção programada na {NET}',
  ]),
  t('ru-plain', 'ru', true, 'report', [
    '{NET} лежит', '{NET} упал?', '{NET} не работает', 'RPC {NET} не отвечает', '{NET} не производит блоки', 'транзакции в {NET} висят{E}',
    'не могу подключиться к {NET}', '{NET} завис', 'сбой в {NET}', '{NET} недоступен', 'не могу вывести из {NET}', '{NET} остановился',
  ]),
  t('ru-plain-neg', 'ru', false, 'neg-price', [
    '${TICK} упал на {PCT}%', 'курс ${TICK} падает{E}', 'медвежий рынок, {NET} в минусе', '${TICK} дамп', 'докупать ${TICK}?', 'цена ${TICK} снижается',
    '[neg-promo] запуск {NET} завтра', '[neg-promo] розыгрыш в {NET}', '[neg-recovered] {NET} снова работает', '[neg-planned] плановые работы в {NET}',
  ]),
  t('tr-plain', 'tr', true, 'report', [
    '{NET} çöktü', '{NET} çöktü mü?', '{NET} çalışmıyor', '{NET} RPC yanıt vermiyor', '{NET} blok üretmiyor', '{NET} işlemler takıldı{E}',
    "{NET}'e bağlanamıyorum", '{NET} durdu', '{NET} kesinti var', '{NET} erişilemiyor', '{NET} çekim gitmiyor', '{NET} arıza',
  ]),
  t('tr-plain-neg', 'tr', false, 'neg-price', [
    '${TICK} %{PCT} düştü', '${TICK} fiyatı düşüyor{E}', '{NET} ayı piyasası', '${TICK} çakıldı', '${TICK} dip alım zamanı mı?', '${TICK} dump yedi',
    '[neg-promo] {NET} lansmanı yarın', '[neg-promo] {NET} airdrop kampanyası', '[neg-recovered] {NET} tekrar çalışıyor', '[neg-planned] {NET} planlı bakım',
  ]),
  t('vi-plain', 'vi', true, 'report', [
    '{NET} bị sập', '{NET} sập à?', '{NET} ngừng hoạt động', 'RPC của {NET} không phản hồi', '{NET} ngừng tạo block', 'giao dịch trên {NET} bị kẹt{E}',
    'không kết nối được {NET}', '{NET} bị treo', '{NET} gặp sự cố', '{NET} không hoạt động', 'không rút được tiền từ {NET}', '{NET} bị gián đoạn',
  ]),
  t('vi-plain-neg', 'vi', false, 'neg-price', [
    '${TICK} giảm {PCT}%', 'giá ${TICK} lao dốc{E}', '{NET} thị trường gấu', '${TICK} bị xả', 'có nên bắt đáy ${TICK}?', 'giá ${TICK} giảm mạnh',
    '[neg-promo] {NET} ra mắt mainnet', '[neg-promo] nhận airdrop {NET}', '[neg-recovered] {NET} đã hoạt động lại bình thường', '[neg-planned] lịch bảo trì {NET}',
  ]),
  t('fr-plain', 'fr', true, 'report', [
    '{NET} est en panne', '{NET} en panne ?', '{NET} ne répond plus', 'le RPC de {NET} ne répond pas', '{NET} ne produit plus de blocs', 'transactions bloquées sur {NET}{E}',
    'impossible de me connecter à {NET}', '{NET} à l’arrêt', '{NET} hors service', '{NET} inaccessible', 'impossible de retirer sur {NET}', '{NET} est planté',
  ]),
  t('fr-plain-neg', 'fr', false, 'neg-price', [
    '${TICK} en baisse de {PCT}%', 'le prix du ${TICK} chute{E}', '{NET} marché baissier', '${TICK} s’effondre', 'on achète le dip sur ${TICK} ?', 'le cours du ${TICK} dégringole',
    '[neg-promo] lancement de {NET} demain', '[neg-promo] concours sur {NET}', '[neg-recovered] {NET} fonctionne de nouveau', '[neg-planned] maintenance prévue sur {NET}',
  ]),
  t('de-plain', 'de', true, 'report', [
    '{NET} ist ausgefallen', '{NET} down?', '{NET} Störung', '{NET} RPC nicht erreichbar', '{NET} produziert keine Blöcke', 'Transaktionen hängen auf {NET}{E}',
    'kann mich nicht mit {NET} verbinden', '{NET} steht', '{NET} funktioniert nicht', '{NET} antwortet nicht', 'kann nicht von {NET} abheben', 'Ausfall bei {NET}',
  ]),
  t('de-plain-neg', 'de', false, 'neg-price', [
    '${TICK} minus {PCT}%', '${TICK} Kurs gefallen{E}', '{NET} bärischer Markt', '${TICK} bricht ein', 'jetzt ${TICK} kaufen?', '${TICK} Preis fällt weiter',
    '[neg-promo] {NET} Mainnet Launch morgen', '[neg-promo] Gewinnspiel auf {NET}', '[neg-recovered] {NET} läuft wieder', '[neg-planned] geplante Wartung bei {NET}',
  ]),
];
