// The password length rules a sign-up or reset is held to, and the warm-up that takes the dummy hash's cost off the
// first login.
import { describe, expect, it } from 'vitest';
import {
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PasswordSchema,
  hashPassword,
  verifyPassword,
  warmUpPasswords,
} from './passwords.ts';

describe('PasswordSchema', () => {
  it('takes 10 to 256 characters and refuses anything shorter, longer or not a string', () => {
    expect([PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH]).toEqual([10, 256]);
    expect(PasswordSchema.safeParse('x'.repeat(10)).success).toBe(true);
    expect(PasswordSchema.safeParse('x'.repeat(256)).success).toBe(true);
    expect(PasswordSchema.safeParse('x'.repeat(9)).success).toBe(false);
    expect(PasswordSchema.safeParse('x'.repeat(257)).success).toBe(false);
    expect(PasswordSchema.safeParse(1234567890).success).toBe(false);
  });
});

describe('warmUpPasswords', () => {
  it('computes the dummy hash once, ahead of the first login, which still answers false without an account', async () => {
    await warmUpPasswords();
    let started = performance.now();
    await hashPassword('one real argon2id run, for scale');
    const oneHash = performance.now() - started;
    // The second warm-up reuses the hash: no new argon2 run, so it is far quicker than one.
    started = performance.now();
    await warmUpPasswords();
    expect(performance.now() - started).toBeLessThan(oneHash / 4);
    expect(await verifyPassword(null, 'whatever was typed')).toBe(false);
  });
});
