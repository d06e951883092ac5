/** Vietnamese, matched with its diacritics (they carry meaning: "sập" is not "sáp"). */
import { hint, negated, planned, price, promo, recovered, strong, weak, type Lexicon } from './types';

const r = String.raw;

export const vi: Lexicon = {
  lang: 'vi',
  form: 'lower',
  unicodeWords: true,
  rules: [
    price(
      'price',
      r`\b(?:giảm\s+(?:giá|\d)|giá\s+(?:\S+\s+)?giảm|tăng\s+(?:giá|\d)|giá|lao\s+dốc|bán\s+tháo|xả\s+hàng|xả|thị\s+trường|gấu|bò|bắt\s+đáy|mua|bán|cắt\s+lỗ|chốt\s+lời|lỗ|lãi)\b`,
    ),
    recovered(
      'recovered',
      r`\b(?:hoạt\s+động\s+(?:lại|bình\s+thường)|bình\s+thường\s+trở\s+lại|khôi\s+phục|ổn\s+định\s+lại|đã\s+sửa|đã\s+fix|trở\s+lại)\b`,
    ),
    negated('ok', r`\b(?:không\s+(?:có\s+)?(?:vấn\s+đề|lỗi)(?:\s+gì)?|vẫn\s+(?:chạy|hoạt\s+động)\s+(?:bình\s+thường|ổn|tốt)|chạy\s+ổn)\b`),
    planned('planned', r`\b(?:bảo\s+trì|định\s+kỳ|lịch|dự\s+kiến|sắp|tuần\s+sau|ngày\s+mai|nâng\s+cấp)\b`),
    promo(
      'promo',
      r`\b(?:ra\s+mắt|airdrop|nhận\s+ngay|giveaway|tặng|quà|sự\s+kiện|chính\s+thức|mở\s+bán|niêm\s+yết|tải\s+(?:ví|app|ứng\s+dụng)|dùng\s+thử)\b`,
    ),
    strong(
      'sap',
      r`\b(?:bị\s+sập|sập|ngừng\s+(?:hoạt\s+động|tạo\s+(?:khối|block)|chạy)|bị\s+treo|treo|kẹt|bị\s+dừng|dừng\s+(?:lại|hoạt\s+động)|sự\s+cố|gián\s+đoạn)\b`,
    ),
    strong(
      'khong-x',
      r`\bkhông\s+(?:hoạt\s+động|phản\s+hồi|kết\s+nối\s+được|truy\s+cập\s+được|gửi\s+được|rút\s+được|chuyển\s+được|xác\s+nhận|ra\s+block|tạo\s+block|vào\s+được|dùng\s+được|load\s+được)\b`,
    ),
    weak('weak', r`\b(?:lỗi|chậm|pending|dừng|ngừng|đơ|timeout|có\s+vấn\s+đề|trục\s+trặc|chết)\b`),
    hint('question', r`\b(?:có\s+ai\s+(?:bị|gặp)|ai\s+bị|mình\s+tôi|chỉ\s+mình)\b`),
  ],
  infra: r`\b(?:rpc|node|nút|khối|block|mạng|chuỗi|giao\s+dịch|tx|rút\s+tiền|nạp|cầu|bridge|explorer|sequencer|mainnet|ví|gas)\b`,
  markerChars: r`[ơưăđạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]`,
};
