/**
 * The five real cases in ../shared/seeds, as `npm run demo` loads them. What the documents print is
 * copied (numbers, sessions, proposers, units, document numbers, reply dates, contacts); what they do
 * not print is marked ASSUMED.
 */
import { SEED_002 } from './seed-002';

export interface DemoCase {
  readonly seed: string;
  readonly kind: 'cppcc-proposal' | 'npc-suggestion';
  readonly session: string;
  readonly number: string;
  readonly title: string;
  readonly body: string;
  readonly proposers: { id: string; name: string; lead: boolean }[];
  readonly ruleSet: string;
  readonly lead: string;
  readonly co: string[];
  readonly supervising?: string[];
  readonly leadingOfficial?: string;
  readonly dates: { submitted: string; accepted: string; assigned: string; coOpinions?: string; drafted: string; signed: string; reviewed?: string; dispatched: string };
  readonly reply: { documentNumber: string; resultClass: 'A' | 'B' | 'C' | 'D'; body: string; contactPerson: string; contactPhone: string; cc?: string[] };
  readonly ratings?: { proposerId: string; satisfaction: 'satisfied'; comment?: string; at: string }[];
  readonly closed?: string;
}

export const DEMO_UNITS: Record<string, string> = {
  'tl-minzheng': '重庆市铜梁区民政局',
  'tl-jiaowei': '铜梁区教委',
  'tl-weijian': '铜梁区卫生健康委',
  'lw-minzheng': '温州市龙湾区民政局',
  'lw-jianchayuan': '龙湾区检察院',
  'lw-gongan': '龙湾区公安分局',
  'lw-jiaoyu': '龙湾区教育局',
  'lw-fulian': '龙湾区妇联',
  'ct-minzheng': '区民政局',
  'ct-jiaoke': '区教科局',
  'ct-sifa': '区司法局',
  'ct-gongan': '区公安分局',
  'ct-fulian': '区妇联',
  'ct-zhengfuban': '区政府办公室',
  'ct-jixiaoban': '区委目标绩效办',
  'cq-jiaowei': '重庆市教育委员会',
  'cq-xuanchuan': '市委宣传部',
  'cq-minzheng': '市民政局',
  'cq-weijian': '市卫生健康委',
  'py-minzheng': '濮阳市民政局',
};

export const DEMO_CASES: DemoCase[] = [
  {
    seed: '000 铜梁区政协 十一届一次 第202号',
    kind: 'cppcc-proposal',
    session: '十一届一次',
    number: '第202号',
    title: '关于加强对留守儿童心理健康教育和心理疏导工作的建议',
    body: '（提案原文未载于种子文件，此处为复函所引题目）关于加强对留守儿童心理健康教育和心理疏导工作的建议。',
    proposers: [{ id: 'tl-luo-shimei', name: '罗世梅', lead: true }],
    ruleSet: 'cppcc-generic', // the text of 政协重庆市委员会提案工作条例 was not found (LEGAL.md §6.5): the assumed CPPCC pattern
    lead: 'tl-minzheng',
    co: ['tl-jiaowei', 'tl-weijian'],
    dates: { submitted: '2022-01-10', accepted: '2022-01-20', assigned: '2022-02-25', coOpinions: '2022-07-15', drafted: '2022-08-15', signed: '2022-08-19', reviewed: '2022-08-20', dispatched: '2022-08-22' }, // all but dispatched ASSUMED
    reply: {
      documentNumber: '铜民函〔2022〕63号',
      resultClass: 'B', // ASSUMED: the letter states no class
      body: '罗世梅委员：您在政协重庆市铜梁区第十一届委员会第一次会议上提出的《关于加强对留守儿童心理健康教育和心理疏导工作的建议》（第202号）收悉……经区民政局、区教委、区卫共同研究办理，现函复如下……此复函已经朱华友局长审签。',
      contactPerson: '杨春林',
      contactPhone: '023-45692655',
    },
  },
  {
    seed: '001 龙湾区人大 九届三次 孔侠代表',
    kind: 'npc-suggestion',
    session: '九届三次',
    number: '（复函未载编号）',
    title: '关于农村留守儿童关爱保护的建议',
    body: '（建议原文未载于种子文件）关于农村留守儿童关爱保护的建议。',
    proposers: [{ id: 'lw-kong-xia', name: '孔侠', lead: true }],
    ruleSet: 'zj-npc-2016', // a district congress of Zhejiang: the province's 规定 is the nearest text found
    lead: 'lw-minzheng',
    co: ['lw-jianchayuan', 'lw-gongan', 'lw-jiaoyu', 'lw-fulian'],
    dates: { submitted: '2024-02-26', accepted: '2024-03-05', assigned: '2024-03-15', coOpinions: '2024-06-20', drafted: '2024-07-05', signed: '2024-07-10', dispatched: '2024-07-12' }, // all but dispatched ASSUMED
    reply: {
      documentNumber: '龙湾区民政局答复（2024-07-12）',
      resultClass: 'A', // ASSUMED
      body: '孔侠代表：你在区九届人大三次会议期间所提的《关于农村留守儿童关爱保护的建议》已收悉，经调查研究，现答复如下……（签发人：朱德利 承办人：曾玲玲）',
      contactPerson: '曾玲玲',
      contactPhone: '86666258',
    },
  },
  {
    seed: '002 朝天区政协 七届三次 第〔15〕号',
    kind: 'cppcc-proposal',
    session: SEED_002.session,
    number: SEED_002.number,
    title: SEED_002.title,
    body: SEED_002.body,
    proposers: SEED_002.proposers.map((p) => ({ ...p })),
    ruleSet: 'sc-gov-2024', // 朝天区 is in Sichuan: the provincial government's 办法 binds the units that handle CPPCC proposals
    lead: 'ct-minzheng',
    co: ['ct-jiaoke', 'ct-sifa', 'ct-gongan', 'ct-fulian'],
    supervising: ['ct-zhengfuban', 'ct-jixiaoban'],
    leadingOfficial: '杨金军',
    dates: { submitted: '2023-02-20', accepted: '2023-03-10', assigned: '2023-03-16', coOpinions: '2023-09-20', drafted: '2023-10-09', signed: '2023-10-10', reviewed: '2023-10-11', dispatched: '2023-10-11' },
    reply: {
      documentNumber: '关于政协广元市朝天区七届三次全会第15号委员提案的回复（原件未载文号）',
      resultClass: 'A',
      body: '尊敬的刘安泽、徐丽娟委员：首先感谢您对我区未成年人关爱保护工作的关注和支持……此复。',
      contactPerson: '贺威',
      contactPhone: '13795952836',
    },
    ratings: [
      { proposerId: 'member-liu-anze', satisfaction: 'satisfied', comment: '非常满意', at: '2023-10-25' },
      { proposerId: 'member-xu-lijuan', satisfaction: 'satisfied', at: '2023-10-26' },
    ],
    closed: '2023-10-31',
  },
  {
    seed: '003 重庆市人大 五届五次 第0026号',
    kind: 'npc-suggestion',
    session: '五届五次',
    number: '0026',
    title: '关于加强未成年人心理健康的建议',
    body: '（建议原文未载于种子文件）关于加强未成年人心理健康的建议。',
    proposers: [{ id: 'cq-tan-li', name: '谭理', lead: true }],
    ruleSet: 'cq-npc-2017',
    lead: 'cq-jiaowei',
    co: ['cq-xuanchuan', 'cq-minzheng', 'cq-weijian'],
    dates: { submitted: '2022-01-18', accepted: '2022-02-10', assigned: '2022-03-25', coOpinions: '2022-04-28', drafted: '2022-10-20', signed: '2022-10-24', dispatched: '2022-10-26' }, // all but dispatched ASSUMED
    reply: {
      documentNumber: '渝教议函〔2022〕49号',
      resultClass: 'B', // ASSUMED
      body: '谭理代表：您提出的《关于加强未成年人心理健康的建议》（市五届人大五次会议第0026号建议）收悉。经与市委宣传部、市民政局、市卫生健康委等协办单位共同研究办理，现将办理情况答复如下……',
      contactPerson: '（复函未载）',
      contactPhone: '（复函未载）',
    },
  },
  {
    seed: '004 濮阳市人大 九届三次 第188号',
    kind: 'npc-suggestion',
    session: '九届三次',
    number: '188',
    title: '点亮心灵之灯 关注留守儿童和困境儿童心理健康的建议',
    body: '（建议原文未载于种子文件）点亮心灵之灯 关注留守儿童和困境儿童心理健康的建议。',
    proposers: [{ id: 'py-song-yaping', name: '宋亚萍', lead: true }],
    ruleSet: 'ha-npc-2017', // a city congress of Henan: the province's 办法 is the nearest text found
    lead: 'py-minzheng',
    co: [],
    dates: { submitted: '2024-01-22', accepted: '2024-02-05', assigned: '2024-03-20', drafted: '2024-05-15', signed: '2024-05-20', dispatched: '2024-05-22' }, // all but dispatched ASSUMED
    reply: {
      documentNumber: '濮阳市民政局关于对市九届人大三次会议第188号建议的答复',
      resultClass: 'B', // ASSUMED
      body: '尊敬的宋亚萍代表：首先感谢您对留守儿童和困境儿童的关心和支持，您所提出的《点亮心灵之灯 关注留守儿童和困境儿童心理健康的建议》收悉，现答复如下……',
      contactPerson: '赵芳石',
      contactPhone: '0393-6687928',
      cc: ['市人大选工委（2份）', '市委市政府督查局（2份）'],
    },
  },
];
