/** Korean, matched on the lowercased NFKC text. */
import { hint, negated, planned, price, promo, recovered, strong, weak, type Lexicon } from './types';

const r = String.raw;

export const ko: Lexicon = {
  lang: 'ko',
  form: 'lower',
  rules: [
    price('price', r`폭락|하락|급락|떡락|떡상|상승|급등|폭등|가격|시세|매수|매도|손절|익절|물렸|존버|불장|하락장|상승장|차트|숏|롱`),
    recovered('recovered', r`복구|정상화|정상\s*작동|다시\s*작동|해결\s*(?:됐|되었|완료)|돌아왔`),
    negated('ok', r`문제\s*없|잘\s*돌아|잘\s*작동|잘\s*됩니다|잘\s*돼요`),
    planned('planned', r`점검|예정|공지|안내|내일|다음\s*주`),
    promo('promo', r`출시|런칭|론칭|에어드랍|에어드롭|이벤트|당첨|축하|상장|오픈|무료|증정|신청`),
    strong(
      'down',
      r`다운(?:됐|되었|된|돼|됨|이)|먹통|멈췄|멈춤|멈춰|멈춘|중단|장애|(?:접속|연결)(?:이)?\s*안\s*(?:돼|됨|되)|(?:접속|연결)\s*(?:불가|오류|실패)|블록(?:이)?\s*(?:생성)?(?:이)?\s*(?:안|멈|중단)|트랜잭션(?:이)?\s*안|안\s*(?:나가|올라가|올라감)|출금\s*불가|응답(?:이)?\s*없`,
    ),
    weak('weak', r`펜딩|대기|오류|에러|문제|느려|지연|실패|안\s*돼|안\s*됨|안돼|안됨|불가|타임아웃|다운`),
    hint('question', r`다들|저만|나만|그런가요|인가요|되나요`),
  ],
  infra: r`rpc|노드|블록|체인|네트워크|트랜잭션|출금|입금|브릿지|익스플로러|시퀀서|메인넷|지갑|가스|전송|송금`,
};
