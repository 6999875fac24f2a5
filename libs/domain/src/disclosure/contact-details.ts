/**
 * Finds contact details in free text (a reply letter's body, its title or document number, a contact
 * summary) so that what is published carries none: mobile and landline numbers with or without area code,
 * numbers after a label or a verb (电话、手机、致电、拨打, Tel), e-mail addresses, ID card numbers (身份证号),
 * instant-messaging ids, home addresses, and names after labels such as 联系人 / 经办人 / 承办人.
 *
 * The text is first brought to one form: every compatibility form (full-width, circled, mathematical
 * digits), digits of other scripts, runs of Chinese numerals, the many dashes and brackets, and invisible
 * characters. Then numbers are recognised by the shapes telephone numbers take (1[3-9] and ten more
 * digits however grouped, a 0 area code), so that dates, document numbers (渝教发〔2025〕12号), amounts
 * (13500000000元), percentages and service numbers (12345, 400-800-1234) are left as they are.
 *
 * Every pattern is bounded and starts only where a token starts, so the time taken grows with the length
 * of the text, never with its square: a reply body of 100,000 crafted characters is read in milliseconds.
 */
export type ContactDetailKind = 'mobile' | 'landline' | 'phone' | 'email' | 'id-card' | 'name' | 'messaging' | 'address' | 'sealed';

export interface ContactDetail {
  readonly kind: ContactDetailKind;
  /** Where it is in the original text: [start, end) in UTF-16 code units. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** What replaces each contact detail in a public text. */
export const REDACTED = '[已删除]';

/** The kinds a handler is warned about when a reply or contact text carries them. */
export const CONTACT_NUMBER_KINDS: readonly ContactDetailKind[] = ['mobile', 'landline', 'phone', 'email', 'id-card', 'messaging'];

/* ---------- one form ---------- */

const INVISIBLE = /[\p{Cf}\p{Mn}\p{Me}\u034f\u115f\u1160\u3164\uffa0]/u;
const NUMERALS: Record<string, string> = { 〇: '0', 零: '0', 一: '1', 二: '2', 两: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9', 壹: '1', 贰: '2', 叁: '3', 肆: '4', 伍: '5', 陆: '6', 柒: '7', 捌: '8', 玖: '9' };
const BRACKETS: Record<string, string> = { '【': '(', '】': ')', '〔': '(', '〕': ')', '〖': '(', '〗': ')', '〘': '(', '〙': ')', '「': '(', '」': ')', '『': '(', '』': ')', '﹙': '(', '﹚': ')' };

/** The digit a decimal digit of any script stands for (Unicode lays each script's 0–9 out in order). */
function digitOf(c: string): string {
  const code = c.codePointAt(0)!;
  let start = code;
  while (start > code - 9 && /\p{Nd}/u.test(String.fromCodePoint(start - 1))) start -= 1;
  return String((code - start) % 10);
}

/** The text in comparable form, and for each of its characters the index of the original character it came from. */
function normalise(text: string): { readonly text: string; readonly origin: number[] } {
  const chars: string[] = [];
  const origin: number[] = [];
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    // Printable ASCII and the common Chinese characters are already in their one form.
    if ((cp > 0x20 && cp < 0x7f) || (cp >= 0x4e00 && cp <= 0x9fff)) {
      chars.push(text[i]);
      origin.push(i);
      i += 1;
      continue;
    }
    const c = String.fromCodePoint(cp);
    const at = i;
    i += c.length;
    if (INVISIBLE.test(c)) continue;
    let mapped: string;
    if (c === '\n' || c === '\r') mapped = '\n';
    else if (/\s/u.test(c)) mapped = ' ';
    else if (BRACKETS[c]) mapped = BRACKETS[c];
    else if (/\p{Pd}/u.test(c) || c === '\u2212' || c === '\u30fc') mapped = '-';
    else if (c === '\u00b7' || c === '\u2027' || c === '\u30fb' || c === '\u2219') mapped = '.';
    else {
      mapped = c.normalize('NFKC');
      if (mapped.length === 1 && /\p{Nd}/u.test(mapped) && !/[0-9]/.test(mapped)) mapped = digitOf(mapped);
    }
    for (const m of mapped) {
      chars.push(/\s/u.test(m) && m !== '\n' ? ' ' : m);
      origin.push(at);
    }
  }
  // Chinese numerals read as digits where five or more stand together (一三八一二三四五六七八), never in words.
  let s = chars.join('');
  s = s.replace(/[〇零一二两三四五六七八九壹贰叁肆伍陆柒捌玖]{5,}/gu, (run) => [...run].map((ch) => NUMERALS[ch]).join(''));
  return { text: s, origin };
}

/* ---------- the patterns ---------- */

const SEP = '[ \\n\\-.,/()]{0,3}';
const CJK = '[\\u3400-\\u9fff]';
/** Common Chinese surnames: a name after a label without a colon must start with one. */
const SURNAMES = new Set(
  [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由'],
);
const COMPOUND_SURNAMES = ['欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '长孙', '宇文', '司徒', '夏侯', '端木', '独孤', '南宫', '西门'];
const spaced = (word: string) => [...word].join('\\s?');

/** A label after which a number is a telephone number, whatever its shape; and verbs that say so. */
const PHONE_LABEL = [
  `(?:${spaced('联系')}|${spaced('办公')}|${spaced('咨询')}|${spaced('服务')}|${spaced('值班')})?\\s?(?:${spaced('电话')}|${spaced('手机')}|${spaced('座机')}|${spaced('固话')}|${spaced('传真')}|${spaced('热线')})(?:\\s?号\\s?码|\\s?号)?(?:\\s?\\([^)\\n]{1,4}\\))?`,
  `${spaced('联系号码')}|${spaced('联系方式')}`,
  '拨打|致电|来电|电联|打电话给?|呼叫',
  '(?<![A-Za-z])(?:[Tt]el|TEL|[Pp]hone|PHONE|[Mm]obile|MOBILE|[Mm]ob|[Ff]ax|FAX|[Cc]ell)\\.?',
].join('|');
const NAME_LABEL = `(?:${['联系人员', '联系人', '经办人员', '经办人', '承办人', '联络人', '联络员', '负责人', '办理人', '经手人', '对接人', '联系老师', '联系同志'].map(spaced).join('|')})(?:及电话|及联系方式)?`;

interface Pattern {
  readonly kind: ContactDetailKind;
  readonly pattern: RegExp;
  /** What the text must hold for the pattern to have a chance: most text is passed over at once. */
  readonly needs: 'digit' | 'at' | 'label' | 'sealed';
  /** The group that is the detail itself (the label before it stays). */
  readonly group?: number;
  /** A last look at what was found: false leaves it (a date, an amount, a service number). */
  readonly accept?: (found: string, text: string, start: number, end: number) => boolean;
}

const digits = (s: string) => s.replace(/[^0-9Xx]/g, '');
/** What follows a number that makes it an amount, a count or a date rather than a telephone number. */
const AMOUNT_AFTER = /^\s?[元万亿千百%‰个人次件项台套吨米年月日号倍]/u;
/** Labels before a number that make it a document, contract or project number. */
const NUMBER_LABEL_BEFORE = /(编号|文号|合同号|项目号|批号|序号|流水号|订单号|账号|No\.?|NO\.?)\s?[:：]?\s?[(（]?$/u;
/** Service numbers (not a person's): 400/800 numbers and the short government and utility lines. */
const SERVICE_NUMBER = /^(400\d{7}|800\d{7}|95\d{3,4}|96\d{3,4}|12\d{3}|1\d{2})$/;
const plausibleDate = (yyyy: number, mm: number, dd: number) => yyyy >= 1900 && yyyy <= 2099 && mm >= 1 && mm <= 12 && dd >= 1 && dd <= 31;

const numberNotAmount = (_found: string, text: string, start: number, end: number) => !AMOUNT_AFTER.test(text.slice(end, end + 2)) && !NUMBER_LABEL_BEFORE.test(text.slice(Math.max(0, start - 10), start));

const PATTERNS: readonly Pattern[] = [
  { kind: 'sealed', needs: 'sealed', pattern: /pii:[A-Za-z0-9:_-]{1,300}/gi },
  {
    kind: 'email',
    needs: 'at',
    pattern: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}\s{0,2}(?:@|\(at\)|\[at\]|\{at\})\s{0,2}[A-Za-z0-9-]{1,63}(?:\s{0,2}(?:\.|。|\(dot\)|\[dot\])\s{0,2}[A-Za-z0-9-]{1,63}){1,6}/gi,
  },
  {
    // `#`, ` at ` and ` dot ` stand for @ and . only before a known top-level domain.
    kind: 'email',
    needs: 'at',
    pattern: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}(?:\s{0,2}#\s{0,2}|\s{1,2}at\s{1,2})[A-Za-z0-9-]{1,63}(?:(?:\s{0,2}[.。]\s{0,2}|\s{1,2}dot\s{1,2})[A-Za-z0-9-]{1,63}){0,5}(?:\s{0,2}[.。]\s{0,2}|\s{1,2}dot\s{1,2})(?:cn|com|net|org|gov|edu|mil|int|info|biz)(?![A-Za-z0-9])/gi,
  },
  {
    kind: 'id-card',
    needs: 'digit',
    pattern: /(?<![0-9A-Za-z])[1-9](?:[ \-]{0,2}[0-9]){16}[ \-]{0,2}[0-9Xx](?![0-9A-Za-z])/g,
    accept: (found) => {
      const d = digits(found);
      return plausibleDate(Number(d.slice(6, 10)), Number(d.slice(10, 12)), Number(d.slice(12, 14)));
    },
  },
  {
    kind: 'id-card',
    needs: 'digit',
    pattern: /(?<![0-9A-Za-z])[1-9](?:[ \-]{0,2}[0-9]){14}(?![0-9A-Za-z])/g,
    accept: (found, text, start, end) => {
      const d = digits(found);
      return plausibleDate(1900 + Number(d.slice(6, 8)), Number(d.slice(8, 10)), Number(d.slice(10, 12))) && numberNotAmount(found, text, start, end);
    },
  },
  { kind: 'id-card', needs: 'digit', pattern: /(身\s?份\s?证(?:\s?号\s?码?|\s?号)?|证件号码?)\s{0,2}[:：为是]?\s{0,3}([0-9Xx][0-9Xx \-]{13,24}[0-9Xx])/g, group: 2 },
  {
    // 1[3-9] and ten more digits, however grouped: 138 1234 5678, 138-1234-5678, 1 3 8…; +86, 0086 or 86 before.
    kind: 'mobile',
    needs: 'digit',
    pattern: new RegExp(`(?<![0-9])(?:(?:\\+|00)?86${SEP}|\\(\\+?86\\)${SEP})?1(?:${SEP}[0-9]){10}(?![0-9])`, 'g'),
    accept: (found, text, start, end) => /^(86)?1[3-9][0-9]{9}$/.test(digits(found).replace(/^0086/, '86')) && numberNotAmount(found, text, start, end),
  },
  {
    // An area code starting with 0, in brackets or not, then seven or eight digits: (023)6386-2000, 023 - 6386 2000.
    kind: 'landline',
    needs: 'digit',
    pattern: new RegExp(`(?<![0-9])(?:(?:\\+|00)?86${SEP})?[(\\[]?0[0-9]{2,3}[)\\]]?[ \\-.]{0,3}[0-9](?:[ \\-.]{0,2}[0-9]){6,7}(?![0-9])`, 'g'),
    accept: numberNotAmount,
  },
  {
    // +86 or 0086 or 86- with the area code's 0 dropped: +86 23 6386 2000, 86-23-63862000.
    kind: 'landline',
    needs: 'digit',
    pattern: new RegExp(`(?<![0-9])(?:\\+|00)?86${SEP}[1-9][0-9]{1,2}[ \\-.]{0,3}[0-9](?:[ \\-.]{0,2}[0-9]){6,7}(?![0-9])`, 'g'),
    accept: numberNotAmount,
  },
  {
    kind: 'phone',
    needs: 'digit',
    pattern: new RegExp(`(?:${PHONE_LABEL})\\s{0,2}(?:[:：]|为|是)?\\s{0,3}(\\+?[0-9(\\[][0-9 ()\\[\\]\\-.,/]{4,30}[0-9])`, 'g'),
    group: 1,
    accept: (found) => !SERVICE_NUMBER.test(digits(found)) && digits(found).length >= 5,
  },
  {
    // A one-letter label (T: 86666258, M: 13812345678) only with its colon.
    kind: 'phone',
    needs: 'digit',
    pattern: /(?<![A-Za-z])[TtMm]\s?[:：]\s{0,2}(\+?[0-9(][0-9 ()\-.]{5,20}[0-9])/g,
    group: 1,
  },
  {
    kind: 'messaging',
    needs: 'label',
    pattern: /((?<![A-Za-z])(?:微\s?信\s?号?|企业微信|钉钉|扣扣|[Ww]e[Cc]hat|WECHAT|vx|VX|Vx|wx|WX|QQ\s?号?|qq\s?号?))\s{0,2}(?:[:：]|为|是)\s{0,3}([A-Za-z0-9_-](?:[A-Za-z0-9_\- ]{3,28}[A-Za-z0-9_-])?)/g,
    group: 2,
  },
  { kind: 'address', needs: 'label', pattern: /(家\s?庭\s?住\s?址|家\s?庭\s?地\s?址|现\s?住\s?址|住\s?址|居\s?住\s?地|家\s?住)\s{0,2}[:：为是]?\s{0,2}([^。；;\n]{2,80})/g, group: 2 },
  { kind: 'address', needs: 'label', pattern: /(地\s?址)\s{0,2}[:：]\s{0,2}([^。；;\n]{2,80})/g, group: 2 },
  { kind: 'phone', needs: 'label', pattern: new RegExp(`(${spaced('联系方式')})\\s{0,2}[:：]\\s{0,2}([^。；;\\n]{2,80})`, 'g'), group: 2 },
];

/** A name after a label: 2 to 4 Chinese characters ending where the text moves on; without a colon, starting with a surname. */
// The name is looked at ahead, not taken: the label of the next line is still found.
const NAME = new RegExp(`(${NAME_LABEL})( {0,2}(?:[:：]|为|是) {0,2}| {0,2})(?=((?:${CJK} ?){1,4}${CJK}?))`, 'gu');
const LATIN_NAME = /(?<![A-Za-z])(?:[Cc]ontact(?:\s[Pp]erson)?|CONTACT)\s{0,2}[:：]\s{0,2}([A-Za-z]{2,20}(?:[ \-][A-Za-z]{2,20}){0,2})/g;
/** What a name may be followed by: the end, anything not a Chinese character, or the label of what comes next. */
const AFTER_NAME = new RegExp(`^(?:$|[^\\u3400-\\u9fff]|${spaced('电话')}|${spaced('手机')}|${spaced('联系')}|${spaced('座机')}|${spaced('传真')}|${spaced('邮箱')}|${spaced('微信')}|${spaced('地址')}|同志|老师)`, 'u');

const LABEL_WORD = /联\s?系|电\s?话|手\s?机|座\s?机|传\s?真|邮\s?箱|微\s?信|地\s?址/u;

function names(text: string): { start: number; end: number }[] {
  const found: { start: number; end: number }[] = [];
  for (const m of text.matchAll(NAME)) {
    const colon = /[:：为是]/u.test(m[2]);
    const candidate = m[3];
    const start = m.index! + m[1].length + m[2].length;
    const chars = [...candidate].filter((c) => c !== ' ');
    // The longest reading of 2 to 4 characters after which the text moves on.
    for (let n = Math.min(4, chars.length); n >= 2; n--) {
      let length = 0;
      for (let taken = 0; taken < n; length++) if (candidate[length] !== ' ') taken++;
      const name = candidate.slice(0, length);
      // A name holds no label word: 贺威 联系电话 is a name and the next label.
      if (LABEL_WORD.test(name)) continue;
      if (!AFTER_NAME.test(text.slice(start + length, start + length + 2))) continue;
      const surname = SURNAMES.has(name[0]) || COMPOUND_SURNAMES.some((s) => name.replace(/\s/g, '').startsWith(s));
      if (colon || surname) found.push({ start, end: start + length });
      break;
    }
  }
  for (const m of text.matchAll(LATIN_NAME)) {
    const start = m.index! + m[0].length - m[1].length;
    found.push({ start, end: start + m[1].length });
  }
  return found;
}

/** Every contact detail in the text, in order, overlapping finds merged. */
export function findContactDetails(text: string): ContactDetail[] {
  const n = normalise(text);
  const found: { kind: ContactDetailKind; start: number; end: number }[] = [];
  const holds = { digit: /[0-9]/.test(n.text), at: /[@#]|\(at\)|\[at\]|\{at\}|\sat\s/i.test(n.text), label: /[信扣钉址住系]|[Ww]e[Cc]hat|WECHAT|[vw]x|[VW]X|Vx|qq|QQ/.test(n.text), sealed: /pii:/i.test(n.text) };
  for (const { kind, pattern, group, accept, needs } of PATTERNS) {
    if (!holds[needs]) continue;
    for (const match of n.text.matchAll(pattern)) {
      const part = group === undefined ? match[0] : match[group];
      if (!part) continue;
      const start = match.index! + (group === undefined ? 0 : match[0].lastIndexOf(part));
      const end = start + part.length;
      if (accept && !accept(part, n.text, start, end)) continue;
      found.push({ kind, start, end });
    }
  }
  if (/[人员师志]|[Cc]ontact|CONTACT/.test(n.text)) for (const name of names(n.text)) found.push({ kind: 'name', ...name });
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: { kind: ContactDetailKind; start: number; end: number }[] = [];
  for (const f of found) {
    const last = merged.at(-1);
    if (last && f.start < last.end) last.end = Math.max(last.end, f.end);
    else merged.push({ ...f });
  }
  return merged.map((m) => {
    const start = n.origin[m.start];
    const end = m.end < n.origin.length ? n.origin[m.end] : text.length;
    const trimmed = text.slice(start, end).replace(/[\s\u200b-\u200f\u2060-\u2064\ufeff]+$/u, '');
    return { kind: m.kind, start, end: start + trimmed.length, text: trimmed };
  });
}

/** The text with every contact detail replaced by `[已删除]`, and what was replaced. */
export function redactContactDetails(text: string): { readonly text: string; readonly found: readonly ContactDetail[] } {
  const found = findContactDetails(text);
  let out = '';
  let at = 0;
  for (const f of found) {
    out += text.slice(at, f.start) + REDACTED;
    at = f.end;
  }
  return { text: out + text.slice(at), found };
}
