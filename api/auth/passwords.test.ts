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
    const time = async (run: () => Promise<unknown>) => {
      const started = performance.now();
      for (let i = 0; i < 5; i++) await run();
      return performance.now() - started;
    };
    const real = await time(() => verifyPassword(stored, 'a wrong password'));
    const missing = await time(() => verifyPassword(null, 'a wrong password'));
    expect(await verifyPassword(null, 'a real password')).toBe(false);
    // Both paths run one argon2id verification: within a factor of two of each other, whatever the machine.
    expect(missing / real).toBeGreaterThan(0.5);
    expect(missing / real).toBeLessThan(2);
  });

  it('treats a malformed stored hash as no match', async () => {
    expect(await verifyPassword('not-a-hash', 'anything at all')).toBe(false);
  });
});
