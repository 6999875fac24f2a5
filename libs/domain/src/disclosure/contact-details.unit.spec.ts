import { CONTACT_DETAIL_SHAPES, ORDINARY_TEXTS } from '../testing/contact-details.fixture';
import { findContactDetails, REDACTED, redactContactDetails } from './contact-details';
import { commandWarnings } from '../proposal/command-warnings';
import { command } from '../proposal/proposal.commands';

const digits = (s: string) => s.replace(/\D/g, '');

describe('contact details in free text', () => {
  it.each(CONTACT_DETAIL_SHAPES.map((c) => [c.text, c.kind, c.secret] as const))('%s: %s, nothing of it left', (text, kind, secret) => {
    const { text: redacted, found } = redactContactDetails(text);
    expect(found.map((f) => f.kind)).toContain(kind);
    expect(redacted).toContain(REDACTED);
    expect(redacted.normalize('NFKC')).not.toContain(secret);
    if (/^\d+X?$/.test(secret)) expect(digits(redacted.normalize('NFKC'))).not.toContain(digits(secret));
  });

  it.each(ORDINARY_TEXTS)('leaves ordinary text alone: %s', (text) => {
    expect(findContactDetails(text)).toEqual([]);
    expect(redactContactDetails(text).text).toBe(text);
  });

  it('takes time in proportion to the text: crafted inputs of 100,000 characters do not stall the service', () => {
    // A guard against patterns that backtrack: one that did took 25 s on such a body and held the event loop.
    for (const text of ['a'.repeat(100_000), 'a.'.repeat(50_000), '1 '.repeat(50_000), '联系人'.repeat(33_000), '电话：'.repeat(33_000), 'a@'.repeat(50_000), '-1'.repeat(50_000)]) {
      const started = performance.now();
      findContactDetails(text);
      expect({ length: text.length, slow: performance.now() - started > 2_000 }).toEqual({ length: text.length, slow: false });
    }
  });

  it('redacts the contact line of a real reply letter (seed 002) and keeps the rest', () => {
    const closing = ['此复。', '广元市朝天区民政局', '2023年10月11日', '(联系人:贺威 联系电话:13795952836)'].join('\n');
    const { text } = redactContactDetails(closing);
    expect(text).toBe(['此复。', '广元市朝天区民政局', '2023年10月11日', '(联系人:[已删除] 联系电话:[已删除])'].join('\n'));
  });

  it('says where each detail is in the original text, full-width and invisible characters included', () => {
    const text = '请联系１３９\u200b１２３４５６７８或邮件a@b.cn。';
    const found = findContactDetails(text);
    expect(found.map((f) => [f.kind, f.text])).toEqual([
      ['mobile', '１３９\u200b１２３４５６７８'],
      ['email', 'a@b.cn'],
    ]);
    for (const f of found) expect(text.slice(f.start, f.end)).toBe(f.text);
  });
});

describe('warnings about contact details typed into free text', () => {
  it('warns about numbers and addresses in a reply body or a contact summary, and nothing else', () => {
    const draft = command('DraftReply', { unitId: 'u', documentNumber: 'n', resultClass: 'A', body: '如有疑问请致电 023-63862000 或 a@b.cn', contactPerson: 'x', contactPhone: '1', disclose: true });
    expect(commandWarnings(draft)).toEqual([expect.objectContaining({ code: 'CONTACT_DETAILS_IN_TEXT', field: 'body', kinds: ['landline', 'email'] })]);
    expect(commandWarnings(command('RecordContact', { unitId: 'u', stage: 'before', channel: 'phone', summary: '电话：86666258 沟通' }))).toEqual([expect.objectContaining({ field: 'summary', kinds: ['phone'] })]);
    expect(commandWarnings(command('RecordContact', { unitId: 'u', stage: 'before', channel: 'visit', summary: '登门听取意见' }))).toEqual([]);
    // A name after a label is redacted when published, but is no reason to warn: letters name their signers.
    expect(commandWarnings({ ...draft, data: { ...draft.data, body: '经办人：张三' } })).toEqual([]);
  });
});
