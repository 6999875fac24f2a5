import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withoutContactDetails } from './read-model.sqlite';

describe('withoutContactDetails', () => {
  it('removes the contact lines and phone numbers of a real reply letter (seed 002)', () => {
    const letter = readFileSync(join(__dirname, '../../../../../shared/seeds/002_e27d693f035c4dc2.txt'), 'utf8');
    const reply = letter.slice(letter.indexOf('尊敬的刘安泽'), letter.indexOf('广元市朝天区妇女联合会'));
    expect(reply).toContain('13795952836');
    const cleaned = withoutContactDetails(reply);
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
