import { describe, expect, it } from 'vitest';
import { unsubscribeToken, unsubscribeUrl, verifyUnsubscribeToken } from './links.ts';

const secret = 'a-test-secret-that-is-long-enough-for-hmac';
const userId = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';

describe('unsubscribe tokens', () => {
  it('verifies what it signed, for the user and kind it names', () => {
    const token = unsubscribeToken(secret, { userId, kind: 'rank_move' });
    expect(verifyUnsubscribeToken(secret, token)).toEqual({ userId, kind: 'rank_move' });
    expect(
      verifyUnsubscribeToken(secret, unsubscribeToken(secret, { userId: userId.toUpperCase(), kind: 'weekly_digest' })),
    ).toEqual({ userId, kind: 'weekly_digest' });
  });

  it('refuses a tampered user, kind or signature, another secret, and garbage', () => {
    const token = unsubscribeToken(secret, { userId, kind: 'rank_move' });
    const [, , sig] = token.split('.');
    const otherUser = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4c';
    expect(verifyUnsubscribeToken(secret, `${otherUser}.rank_move.${sig}`)).toBeNull();
    expect(verifyUnsubscribeToken(secret, `${userId}.weekly_digest.${sig}`)).toBeNull();
    expect(verifyUnsubscribeToken(secret, `${userId}.welcome.${sig}`)).toBeNull();
    const flipped = `${sig!.slice(0, -1)}${sig!.endsWith('A') ? 'B' : 'A'}`;
    expect(verifyUnsubscribeToken(secret, `${userId}.rank_move.${flipped}`)).toBeNull();
    expect(verifyUnsubscribeToken(`${secret}-other`, token)).toBeNull();
    for (const junk of ['', 'x', `${token}x`, token.slice(1), `${userId}.rank_move.`, 'a.b.c'])
      expect(verifyUnsubscribeToken(secret, junk)).toBeNull();
  });

  it('refuses to sign with a short secret, and builds the API link', () => {
    expect(() => unsubscribeToken('short', { userId, kind: 'rank_move' })).toThrow(/at least 32/);
    expect(unsubscribeUrl('https://api.example.test/', 'a.b.c')).toBe(
      'https://api.example.test/api/v1/notifications/unsubscribe?token=a.b.c',
    );
  });
});
