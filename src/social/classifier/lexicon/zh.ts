/**
 * Chinese, simplified and traditional: the `hans` form maps traditional characters to
 * simplified ones first (當機 → 当机, 區塊 → 区块), so patterns are written once.
 */
import { hint, negated, planned, price, promo, recovered, strong, weak, type Lexicon } from './types';

const r = String.raw;

export const zh: Lexicon = {
  lang: 'zh',
  form: 'hans',
  rules: [
    price(
      'price',
      r`暴跌|下跌|大跌|跌了|跌破|跌到|跌幅|下落|涨|价格|币价|行情|砸盘|抛售|割肉|抄底|熊市|牛市|爆仓|做空|做多|梭哈|亏损|亏了|赚了|市值|k线|韭菜|回调|腰斩|跌`,
    ),
    recovered('recovered', r`重新上线|恢复|已修复|修复了|重新出块|已解决|问题解决|可以正常`),
    negated('ok', r`没有问题|没问题|运行正常|正常运行|一切正常|好好的`),
    planned('planned', r`计划|预计|将于|将会|届时|下周|明天|公告|通知`),
    planned('maintenance', r`维护|升级`, { weight: -2 }),
    promo('promo', r`空投|上线|发布|抽奖|福利|赠送|送币|白名单|活动|领取|转发|打新|上所|启动|公布`),
    strong(
      'down',
      r`宕机|挂了|挂掉|崩了|崩溃|瘫痪|停止出块|不出块|没出块|没有出块|停链|链停|停摆|出块停止|卡块|无法连接|连不上|连接不上|连接失败|不可用|停止运行|不能用|用不了|打不开|掉线|离线|没有新区块|无新区块|故障|中断|卡在\s*\d|停在(?:同一|区块|高度|\d)|卡住不动|不动了|全部卡住|一直卡|(?:最新|最后一个?)区块.{0,8}\d+\s*分钟前|\d+\s*分钟(?:没有|没|未)(?:出块|新区块)`,
    ),
    weak(
      'weak',
      r`卡住|卡了|卡在|pending|未确认|没确认|不确认|没到账|未到账|失败|报错|错误|异常|出问题|有问题|超时|暂停|延迟|很慢|太慢|停止|停了`,
    ),
    hint('question', r`怎么回事|咋回事|什么情况|是不是|有人.{0,6}(?:一样|同样|也是)`),
  ],
  infra: r`节点|区块|出块|链|交易|转账|提现|提币|充值|钱包|跨链|桥|浏览器|rpc|排序器|主网|网络|高度|gas|验证者`,
};
