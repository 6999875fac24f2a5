import { withoutContactDetails } from './read-model.sqlite';

/** The closing lines of the reply letter in seed 002, as the case record prints them. */
const SEED_002_CLOSING = [
  '  我们将持续用力用心做好未成年人关爱保护工作，对本提案的办理结果，请您在网上就满意度进行评价反馈，期待您一如既往对全区未成年人关爱保护工作予以关注关心。',
  '此复。',
  '广元市朝天区民政局',
  '2023年10月11日',
  '(联系人:贺威 联系电话:13795952836)',
].join('\n');

describe('withoutContactDetails', () => {
  it('removes the contact lines and phone numbers of a real reply letter (seed 002)', () => {
    const cleaned = withoutContactDetails(SEED_002_CLOSING);
    expect(cleaned).not.toContain('13795952836');
    expect(cleaned).not.toContain('贺威');
    expect(cleaned).toContain('此复');
  });

  it.each([
    ['联系电话:023-45692655', ''],
    ['请致电 0393-6687928 咨询', '请致电 [已删除] 咨询'],
    ['手机 +86 13812345678。', '手机 [已删除]。'],
    ['第15号提案，2023年10月11日', '第15号提案，2023年10月11日'],
  ])('%s → %s', (text, expected) => {
    expect(withoutContactDetails(text)).toBe(expected);
  });
});
