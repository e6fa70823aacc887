import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwords.ts';

describe('passwords', () => {
  it('hashes with argon2id at the OWASP parameters and verifies only the right password', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(stored, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(stored, 'Correct horse battery staple')).toBe(false);
  });

  it('salts each hash', async () => {
    expect(await hashPassword('same password')).not.toBe(await hashPassword('same password'));
  });

  it('answers false without an account, after doing the work of a real verification', async () => {
    const stored = await hashPassword('a real password');
    await verifyPassword(null, 'warm up the dummy hash');
    // Interleaved, so load from whatever else runs on the machine falls on both sides alike.
    let real = 0;
    let missing = 0;
    for (let i = 0; i < 8; i++) {
      let started = performance.now();
      await verifyPassword(stored, 'a wrong password');
      real += performance.now() - started;
      started = performance.now();
      await verifyPassword(null, 'a wrong password');
      missing += performance.now() - started;
    }
    expect(await verifyPassword(null, 'a real password')).toBe(false);
    // Both paths run one argon2id verification at the same parameters: of one order, whatever the machine.
    expect(missing / real).toBeGreaterThan(1 / 3);
    expect(missing / real).toBeLessThan(3);
  });

  it('treats a malformed stored hash as no match', async () => {
    expect(await verifyPassword('not-a-hash', 'anything at all')).toBe(false);
  });
});
