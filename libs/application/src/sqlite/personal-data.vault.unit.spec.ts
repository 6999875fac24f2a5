import Database from 'better-sqlite3';
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
    const subjects = ['proposer:dep-1', 'proposer:dep-1', 'proposer:dep-2', 'reply-contact:cq-2025-0026:u-edu'];
    expect(sealed.map((s, i) => other.openFor(subjects[i], s))).toEqual(['13800000001', '13800000001', '13800000002', '023-63860000']);
    other.close();
  });

  it('seals later values under the key it has, and under a new key after an erasure', async () => {
    const before = await vault.seal('proposer:dep-3', '13800000003');
    expect(keyIdOf(await vault.seal('proposer:dep-3', '13900000003'))).toBe(keyIdOf(before));
    expect(vault.erase('proposer:dep-3', new Date('2025-06-01T00:00:00Z'))).toBe(true);
    expect(vault.openFor('proposer:dep-3', before)).toBeNull();
    const after = await vault.seal('proposer:dep-3', '13800000003');
    expect(keyIdOf(after)).not.toBe(keyIdOf(before));
    expect(vault.openFor('proposer:dep-3', after)).toBe('13800000003');
  });

  it('opens a value only for the person its key belongs to: one pasted into another field stays shut', async () => {
    const phone = await vault.seal('proposer:dep-5', '13800000005');
    expect(vault.openFor('proposer:dep-5', phone)).toBe('13800000005');
    expect(vault.openFor('proposer:dep-6', phone)).toBeNull();
    expect(vault.openFor('reply-contact:cq-2025-0026:u-edu', phone)).toBeNull();
    // Tampered, or made with another vault's key of the same id: the authentication tag refuses it.
    expect(vault.openFor('proposer:dep-5', phone.slice(0, -2) + (phone.endsWith('AA') ? 'BB' : 'AA'))).toBeNull();
  });

  it('shows a value recorded in the clear (before it was sealed) until its person is erased', () => {
    expect(vault.openFor('reply-contact:cq-2024-0001:u-edu', '张老师')).toBe('张老师');
    vault.erase('reply-contact:cq-2024-0001:u-edu', new Date('2025-06-01T00:00:00Z'));
    expect(vault.openFor('reply-contact:cq-2024-0001:u-edu', '张老师')).toBeNull();
  });

  it('seals under an existing key without writing, and writes nothing for a person without one', async () => {
    const rows = () => (new Database(file, { readonly: true }).prepare('SELECT count(*) AS n FROM subject_keys').get() as { n: number }).n;
    const known = await vault.seal('proposer:dep-7', '13800000007');
    const before = rows();
    expect(vault.sealWithExistingKey('proposer:dep-7', '13800000007')).toBe(known);
    expect(vault.sealWithExistingKey('proposer:dep-8', '13800000008')).toBeUndefined();
    expect(rows()).toBe(before);
  });

  it('refuses what is not a personal-data subject', async () => {
    await expect(vault.seal('someone', '13800000004')).rejects.toThrow(RangeError);
  });
});
