/**
 * Seed 002 (../shared/seeds/002_e27d693f035c4dc2.txt): Chaotian CPPCC proposal No. 15 of 2023,
 * 关于加强全区未成年人关爱保护工作的建议, as its case record shows it. Fields printed in the record
 * are copied; dates the record does not print are marked ASSUMED.
 */
import texts from './seed-002.texts.json';

export const SEED_002 = {
  proposalId: 'chaotian-2023-015',
  kind: 'cppcc-proposal',
  session: '七届三次',
  number: '第〔15〕号',
  title: '关于加强全区未成年人关爱保护工作的建议',
  body: texts.body,
  proposers: [
    { id: 'member-liu-anze', name: '刘安泽', lead: true }, // 提案人 / 领衔委员
    { id: 'member-xu-lijuan', name: '徐丽娟', lead: false }, // 联名人 / 附议委员
  ],
} as const;

export const UNITS = {
  minzheng: 'ct-minzheng', // 区民政局 (主办单位)
  jiaoke: 'ct-jiaoke', // 区教科局
  sifa: 'ct-sifa', // 区司法局
  gongan: 'ct-gongan', // 区公安分局
  fulian: 'ct-fulian', // 区妇联
  zhengfuban: 'ct-zhengfuban', // 区政府办公室 (督办单位)
  jixiaoban: 'ct-jixiaoban', // 区委目标绩效办 (督办单位)
} as const;

export const UNIT_NAMES: Record<string, string> = {
  [UNITS.minzheng]: '区民政局',
  [UNITS.jiaoke]: '区教科局',
  [UNITS.sifa]: '区司法局',
  [UNITS.gongan]: '区公安分局',
  [UNITS.fulian]: '区妇联',
  [UNITS.zhengfuban]: '区政府办公室',
  [UNITS.jixiaoban]: '区委目标绩效办',
};

export const ASSIGNMENT = {
  mode: 'lead-with-co',
  leadUnits: [UNITS.minzheng],
  coUnits: [UNITS.jiaoke, UNITS.sifa, UNITS.gongan, UNITS.fulian],
  key: false, // 是否重点：否
  supervisingUnits: [UNITS.zhengfuban, UNITS.jixiaoban],
  leadingOfficial: '杨金军', // 牵头领导
  ruleSet: 'chaotian-cppcc-2023',
} as const;

export const REPLY = {
  unitId: UNITS.minzheng,
  // The record prints no document number (文号); this marks that honestly rather than inventing one.
  documentNumber: '关于政协广元市朝天区七届三次全会第15号委员提案的回复（原件未载文号）',
  resultClass: 'A', // 落实情况：全部或主要问题已解决（A）
  body: texts.reply,
  contactPerson: '贺威',
  contactPhone: '13795952836',
  cc: [] as string[],
  disclose: true, // 信息公开：是
  commitments: [] as { description: string; dueDate: string }[],
} as const;

/** Shanghai wall-clock times of each step. */
export const TIMELINE = {
  submitted: '2023-02-20 10:00', // ASSUMED: during the 七届三次 session
  accepted: '2023-03-10 10:00', // ASSUMED: 审查结果 已立案, before assignment
  assigned: '2023-03-16 10:00', // 交办时间：2023年3月16日
  coOpinions: '2023-09-20 10:00', // ASSUMED: before the joint signature
  drafted: '2023-10-09 10:00', // ASSUMED
  signed: '2023-10-10 10:00', // ASSUMED
  reviewed: '2023-10-11 09:00', // ASSUMED day: 督办审核 已通过
  dispatched: '2023-10-11 10:00', // 答复函 dated 2023年10月11日
  ratedByLiu: '2023-10-25 10:00', // ASSUMED day: 满意评价 满意, 反馈意见 非常满意
  ratedByXu: '2023-10-26 10:00', // ASSUMED day
  closed: '2023-10-31 10:00', // ASSUMED
} as const;
