import { describe, expect, it } from 'vitest';
import { EmailSchema, normalizeEmail } from './email.ts';

describe('normalizeEmail', () => {
  it('trims, folds case and applies NFKC, so one address is one account', () => {
    expect(normalizeEmail('  Ann@Example.COM ')).toBe('ann@example.com');
    // Fullwidth letters fold to ASCII under NFKC.
    expect(normalizeEmail('ａｎｎ@example.com')).toBe('ann@example.com');
  });
});

describe('EmailSchema', () => {
  it('accepts an address and hands back its normalized form', () => {
    expect(EmailSchema.parse(' Bob@Example.org')).toBe('bob@example.org');
  });

  it.each(['', 'no-at-sign', 'a@b', 'two words@example.com', `${'a'.repeat(250)}@example.com`, "' OR 1=1 --"])(
    'refuses %j',
    (raw) => {
      expect(EmailSchema.safeParse(raw).success).toBe(false);
    },
  );
});
