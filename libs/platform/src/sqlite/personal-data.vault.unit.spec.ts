import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PersonalDataVault } from './personal-data.vault';

const keyIdOf = (sealed: string) => sealed.split(':')[2];

describe('PersonalDataVault', () => {
  const dir = mkdtempSync(join(tmpdir(), 'banli-vault-'));
  const file = join(dir, 'personal-data.db');
  const vault = new PersonalDataVault(file);
  afterAll(() => {
    vault.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the keys asked for together once per person, on disk before any seal resolves', async () => {
    const sealed = await Promise.all([
      vault.seal('proposer:dep-1', '13800000001'),
      vault.seal('proposer:dep-1', '13800000001'),
      vault.seal('proposer:dep-2', '13800000002'),
      vault.seal('reply-contact:cq-2025-0026:u-edu', '023-63860000'),
    ]);
    expect(sealed[0]).toBe(sealed[1]); // one key for one person, and sealing is deterministic
    expect(new Set(sealed.map(keyIdOf)).size).toBe(3);
    // Another process on the same file opens them: the keys were written before the seals resolved.
    const other = new PersonalDataVault(file);
    expect(sealed.map((s) => other.unseal(s))).toEqual(['13800000001', '13800000001', '13800000002', '023-63860000']);
    other.close();
  });

  it('seals later values under the key it has, and under a new key after an erasure', async () => {
    const before = await vault.seal('proposer:dep-3', '13800000003');
    expect(keyIdOf(await vault.seal('proposer:dep-3', '13900000003'))).toBe(keyIdOf(before));
    expect(vault.erase('proposer:dep-3', new Date('2025-06-01T00:00:00Z'))).toBe(true);
    expect(vault.unseal(before)).toBeNull();
    const after = await vault.seal('proposer:dep-3', '13800000003');
    expect(keyIdOf(after)).not.toBe(keyIdOf(before));
    expect(vault.unseal(after)).toBe('13800000003');
  });

  it('refuses what is not a personal-data subject', async () => {
    await expect(vault.seal('someone', '13800000004')).rejects.toThrow(RangeError);
  });
});
