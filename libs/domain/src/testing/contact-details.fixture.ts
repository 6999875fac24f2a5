import type { ContactDetailKind } from '../disclosure/contact-details';

/**
 * Contact details as they are really typed into reply letters: every shape here must leave nothing of
 * the person behind. `secret` is what must be gone; for numbers, its digits are looked for in the result
 * with every separator removed, so a number cut in two by a separator still counts as left behind.
 */
export const CONTACT_DETAIL_SHAPES: readonly { readonly text: string; readonly secret: string; readonly kind: ContactDetailKind }[] = [
  { text: '请致电13812345678咨询', secret: '13812345678', kind: 'mobile' },
  { text: '手机 138 1234 5678。', secret: '13812345678', kind: 'mobile' },
  { text: '138-1234-5678', secret: '13812345678', kind: 'mobile' },
  { text: '138.1234.5678', secret: '13812345678', kind: 'mobile' },
  { text: '+86 138 1234 5678', secret: '13812345678', kind: 'mobile' },
  { text: '+8613812345678', secret: '13812345678', kind: 'mobile' },
  { text: '0086-138-1234-5678', secret: '13812345678', kind: 'mobile' },
  { text: '（+86）13812345678', secret: '13812345678', kind: 'mobile' },
  { text: '全角：１３９１２３４５６７８', secret: '13912345678', kind: 'mobile' },
  { text: '１３９－１２３４－５６７８', secret: '13912345678', kind: 'mobile' },
  { text: '139\u200b1234\u200b5678（夹带不可见字符）', secret: '13912345678', kind: 'mobile' },
  { text: '023-63862000', secret: '63862000', kind: 'landline' },
  { text: '(023)6386-2000', secret: '63862000', kind: 'landline' },
  { text: '（０２３）６３８６２０００', secret: '63862000', kind: 'landline' },
  { text: '023 6386 2000', secret: '63862000', kind: 'landline' },
  { text: '0236386 2000', secret: '63862000', kind: 'landline' },
  { text: '010-12345678', secret: '12345678', kind: 'landline' },
  { text: '0755-8888 6666', secret: '88886666', kind: 'landline' },
  { text: '+86 23 6386 2000', secret: '63862000', kind: 'landline' },
  { text: '电话：86666258', secret: '86666258', kind: 'phone' },
  { text: '联系电话: 6386 2000', secret: '63862000', kind: 'phone' },
  { text: '电 话：（023）6386 2000', secret: '63862000', kind: 'landline' },
  { text: 'Tel 023 6386 2000', secret: '63862000', kind: 'landline' },
  { text: 'Tel: 86666258', secret: '86666258', kind: 'phone' },
  { text: '传真：023-63861234', secret: '63861234', kind: 'landline' },
  { text: '热线 6386 1234', secret: '63861234', kind: 'phone' },
  { text: 'zhang.san@edu.gov.cn', secret: 'zhang.san', kind: 'email' },
  { text: 'ZHANG_SAN@163.COM', secret: 'ZHANG_SAN', kind: 'email' },
  { text: 'zhangsan＠qq．com', secret: 'zhangsan', kind: 'email' },
  { text: 'zhang.san (at) edu.gov.cn', secret: 'zhang.san', kind: 'email' },
  { text: 'zhang.san[at]cq.gov.cn', secret: 'zhang.san', kind: 'email' },
  { text: '邮箱 zhang.san at edu.gov.cn', secret: 'zhang.san', kind: 'email' },
  { text: '身份证号：500101199001011234', secret: '500101199001011234', kind: 'id-card' },
  { text: '50010119900101123X', secret: '50010119900101123', kind: 'id-card' },
  { text: '500101 19900101 1234', secret: '500101199001011234', kind: 'id-card' },
  { text: '联系人：张三', secret: '张三', kind: 'name' },
  { text: '经办人：张三，Tel 023 6386 2000', secret: '张三', kind: 'name' },
  { text: '(联系人:贺威 联系电话:13795952836)', secret: '贺威', kind: 'name' },
  { text: '承办人: 李四', secret: '李四', kind: 'name' },
  { text: '联系人 王老师', secret: '王老师', kind: 'name' },
  { text: 'Contact: Zhang San, phone 023-6386-2000', secret: 'Zhang San', kind: 'name' },
  { text: '联系方式：张老师 139 0000 1111', secret: '张老师', kind: 'phone' },
  { text: '微信：zhangsan_2025', secret: 'zhangsan_2025', kind: 'messaging' },
  { text: 'QQ：12345678', secret: '12345678', kind: 'messaging' },
  { text: '家庭住址：渝中区某某路12号', secret: '某某路', kind: 'address' },
  { text: '见 pii:v1:0123456789abcdef:QUJD', secret: 'pii:v1', kind: 'sealed' },
];

/** Ordinary reply text: dates, document numbers, amounts, percentages and hotlines survive unchanged. */
export const ORDINARY_TEXTS: readonly string[] = [
  '2025年3月16日，我委印发《关于加强中小学心理健康教育的通知》（渝教办发〔2025〕12号），2023-2025年累计投入资金1.2亿元。',
  '全市共建成心理辅导站1380个，覆盖学生约123万人，占比95.6%。',
  '根据《重庆市人民代表大会代表建议、批评和意见工作条例》第二十一条，本件应于2025-06-16前答复。',
  '项目总投资98765432元，其中市级财政补助3,500万元，文号渝财教〔2024〕0123号。',
  '请拨打12345政务服务便民热线反映问题，或登录www.cq.gov.cn查询。',
  '密切联系人民群众，相关负责人表示将加快推进；会议于2025年10月11日9:00-11:30召开，编号No.20251011-01。',
];
