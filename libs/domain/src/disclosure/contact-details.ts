/**
 * Finds contact details in free text (a reply letter's body, a contact summary) so that what is published
 * carries none: mobile and landline numbers with or without area code, e-mail addresses, ID card numbers
 * (身份证号), instant-messaging ids and home addresses after their labels, and names after labels such as
 * 联系人 / 经办人 / 承办人. The text is normalised first (full-width forms, the many dashes, invisible
 * characters), so `１３９１２３４５６７８` or `138\u200b1234\u200b5678` is found like `13912345678`.
 *
 * A number is recognised by the shapes telephone numbers are written in (3-4-4 for mobiles, an area code
 * starting with 0 for landlines) or by a label in front of it; dates, document numbers (渝教发〔2025〕12号),
 * amounts and percentages are left alone.
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

// Invisible characters are dropped; the rest is mapped one to one.
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/;
function normalisedChar(c: string): string {
  const code = c.charCodeAt(0);
  if (code >= 0xff01 && code <= 0xff5e) return String.fromCharCode(code - 0xfee0); // full-width ASCII
  if (code === 0x3000 || code === 0x00a0 || (code >= 0x2000 && code <= 0x200a) || code === 0x202f) return ' ';
  if ((code >= 0x2010 && code <= 0x2015) || code === 0x2212 || code === 0xfe63 || code === 0x30fc || code === 0x2e3a) return '-';
  if (code === 0x00b7 || code === 0x2027 || code === 0x30fb) return '.';
  return c;
}

/** The text in comparable form, and for each of its characters the index it came from. */
function normalise(text: string): { readonly text: string; readonly origin: number[] } {
  let out = '';
  const origin: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (INVISIBLE.test(c)) continue;
    out += normalisedChar(c);
    origin.push(i);
  }
  return { text: out, origin };
}

const SEP = '[ \\-.]?';
const CJK = '[\\u3400-\\u9fff]';
/** Labels after which a number is a telephone number, whatever its shape. */
const PHONE_LABEL = '(?:联系电话|办公电话|电\\s?话|手机(?:号码?)?|座机|固话|传真|热线|Tel|TEL|Phone|PHONE|Mobile|MOBILE|Fax|FAX|tel|phone|mobile|fax)\\.?';
/** Labels after which a name is a person's name. */
const NAME_LABEL = '(?:联系人(?:及电话|及联系方式)?|经办人|承办人|联络人|负责人|办理人|经手人|联系老师|联系同志|Contact(?: [Pp]erson)?|contact(?: person)?)';
/** Words that end a name: the label of what follows it. */
const NOT_IN_NAME = '(?!电\\s?话|手机|联系|座机|传真|邮箱|微信|地址|Tel|TEL)';

const PATTERNS: readonly { readonly kind: ContactDetailKind; readonly pattern: RegExp; readonly group?: number }[] = [
  { kind: 'sealed', pattern: /pii:[A-Za-z0-9:_-]+/gi },
  {
    kind: 'email',
    pattern: /[A-Za-z0-9._%+-]+\s*(?:@|\(at\)|\[at\]|\{at\})\s*[A-Za-z0-9-]+(?:\s*(?:\.|\(dot\)|\[dot\])\s*[A-Za-z0-9-]+)+/gi,
  },
  { kind: 'email', pattern: /[A-Za-z0-9._%+-]+ at [A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:cn|com|net|org|gov|edu)\b/gi },
  {
    kind: 'id-card',
    pattern: new RegExp(`(?<![0-9A-Za-z])[1-9]\\d{5}${SEP}(?:18|19|20)\\d{2}${SEP}(?:0[1-9]|1[0-2])${SEP}(?:0[1-9]|[12]\\d|3[01])${SEP}\\d{3}[0-9Xx](?![0-9A-Za-z])`, 'g'),
  },
  { kind: 'id-card', pattern: /(身份证(?:号码?)?|证件号码?)\s*[:]?\s*([0-9Xx][0-9Xx \-]{13,21}[0-9Xx])/g, group: 2 },
  {
    kind: 'mobile',
    pattern: new RegExp(`(?<![0-9])(?:(?:\\+|00)86[ \\-]?|\\(\\+?86\\)[ \\-]?)?1[3-9]\\d${SEP}\\d{4}${SEP}\\d{4}(?![0-9])`, 'g'),
  },
  {
    kind: 'landline',
    pattern: new RegExp(`(?<![0-9])(?:\\(0\\d{2,3}\\)|0\\d{2,3})[ \\-.)]{0,2}(?:\\d{7,8}|\\d{3,4}${SEP}\\d{4})(?![0-9])`, 'g'),
  },
  {
    kind: 'landline',
    pattern: new RegExp(`(?:(?:\\+|00)86[ \\-]?|\\(\\+?86\\)[ \\-]?)[1-9]\\d{1,2}[ \\-.]?(?:\\d{7,8}|\\d{3,4}${SEP}\\d{4})(?![0-9])`, 'g'),
  },
  { kind: 'phone', pattern: new RegExp(`${PHONE_LABEL}\\s*[:]?\\s*(\\+?[0-9(][0-9 ()\\-.]{4,}[0-9])`, 'g'), group: 1 },
  { kind: 'messaging', pattern: /(微信号?|WeChat|QQ号?|qq号?)\s*[:]?\s*([A-Za-z0-9_-]{5,30})/g, group: 2 },
  { kind: 'address', pattern: /(家庭住址|家庭地址|住址|居住地)\s*[:]\s*([^。；;\n]+)/g, group: 2 },
  { kind: 'phone', pattern: /(联系方式)\s*[:]\s*([^。；;\n]+)/g, group: 2 },
  {
    kind: 'name',
    pattern: new RegExp(`${NAME_LABEL}(?:\\s*[:]\\s*|\\s+)((?:${NOT_IN_NAME}${CJK}|·){1,4}|[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2})`, 'g'),
    group: 1,
  },
];

/** Every contact detail in the text, in order, overlapping finds merged. */
export function findContactDetails(text: string): ContactDetail[] {
  const n = normalise(text);
  const found: { kind: ContactDetailKind; start: number; end: number }[] = [];
  for (const { kind, pattern, group } of PATTERNS) {
    for (const match of n.text.matchAll(pattern)) {
      const part = group === undefined ? match[0] : match[group];
      if (!part) continue;
      const offset = group === undefined ? 0 : match[0].indexOf(part);
      const start = match.index! + offset;
      found.push({ kind, start, end: start + part.length });
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: { kind: ContactDetailKind; start: number; end: number }[] = [];
  for (const f of found) {
    const last = merged.at(-1);
    if (last && f.start < last.end) last.end = Math.max(last.end, f.end);
    else merged.push({ ...f });
  }
  return merged.map((m) => {
    const start = n.origin[m.start];
    const end = n.origin[m.end - 1] + 1;
    return { kind: m.kind, start, end, text: text.slice(start, end) };
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
