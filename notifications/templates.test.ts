import { describe, expect, it } from 'vitest';
import { InvalidPayloadError, escapeHtml, prospectUrl, renderEmail } from './templates.ts';

const siteUrl = 'https://site.example.test/';
const unsubscribeUrl = 'https://api.example.test/api/v1/notifications/unsubscribe?token=u.k.s';

describe('renderEmail', () => {
  it('lists rank moves with old and new rank and a link to each prospect page, and a one-click unsubscribe', () => {
    const mail = renderEmail(
      'rank_move',
      {
        snapshotId: 'rs-1',
        moves: [
          { playerId: 1, name: 'José Ramírez', slug: 'jose-ramirez-1', previousRank: 40, newRank: 12 },
          { playerId: 2, name: 'Yoan Moncada', slug: 'yoan-moncada-2', previousRank: 10, newRank: 35 },
          { playerId: 3, name: 'New Guy', slug: null, previousRank: null, newRank: 80 },
        ],
      },
      { siteUrl, unsubscribeUrl },
    );
    expect(mail.subject).toBe('3 of your prospects moved in the rankings');
    expect(mail.text).toContain('José Ramírez (https://site.example.test/prospects/jose-ramirez-1/): up 28: #40 → #12');
    expect(mail.text).toContain(
      'Yoan Moncada (https://site.example.test/prospects/yoan-moncada-2/): down 25: #10 → #35',
    );
    expect(mail.text).toContain('New Guy: entered the rankings at #80');
    expect(mail.html).toContain('<a href="https://site.example.test/prospects/jose-ramirez-1/">José Ramírez</a>');
    expect(mail.text).toContain(`Stop rank-move alerts: ${unsubscribeUrl}`);
    expect(mail.html).toContain(escapeHtml(unsubscribeUrl));
    expect(mail.headers).toEqual({
      'List-Unsubscribe': `<${unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect(
      renderEmail(
        'rank_move',
        { snapshotId: 's', moves: [{ playerId: 1, name: 'A', previousRank: 5, newRank: null }] },
        { siteUrl, unsubscribeUrl },
      ).subject,
    ).toBe('A moved in the rankings');
  });

  it('escapes every value in the HTML', () => {
    const mail = renderEmail(
      'weekly_digest',
      {
        isoWeek: '2026-W48',
        snapshotId: 'rs-1',
        items: [{ playerId: 1, name: '<script>alert("x")</script> & Co', slug: 'x-1', rank: 3, rankChange: -2 }],
      },
      { siteUrl, unsubscribeUrl: 'https://api.example.test/u?token=a&b="c"' },
    );
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(mail.html).toContain('href="https://api.example.test/u?token=a&amp;b=&quot;c&quot;"');
    expect(mail.text).toContain('#3 (down 2)');
    expect(mail.subject).toBe('Your watchlist this week (2026-W48)');
  });

  it('sends transactional mail without an unsubscribe link or list headers', () => {
    const reset = renderEmail('password_reset', { resetUrl: 'https://site.example.test/reset?t=abc' }, { siteUrl });
    expect(reset.subject).toBe('Reset your password');
    expect(reset.text).toContain('https://site.example.test/reset?t=abc');
    expect(reset.headers).toEqual({});
    expect(reset.text).not.toMatch(/unsubscribe/i);
    expect(renderEmail('welcome', {}, { siteUrl }).subject).toBe('Welcome to A Fine Wine Dynasty');
    expect(renderEmail('welcome', { subscriptionId: 'sub_1' }, { siteUrl }).subject).toBe(
      'Welcome to A Fine Wine Dynasty premium',
    );
    expect(
      renderEmail(
        'password_reset',
        { resetUrl: 'https://site.example.test/reset?t=abc', expiresAt: '2026-11-30T05:12:00.000Z' },
        { siteUrl },
      ).text,
    ).toContain('until 2026-11-30 05:12 UTC');
    // As billing queues it: the subscription, and a grace end that may be null.
    expect(
      renderEmail('payment_failed', { subscriptionId: 'sub_1', graceUntil: '2026-12-07T10:00:00.000Z' }, { siteUrl })
        .text,
    ).toContain('Premium stays on until 2026-12-07.');
    expect(
      renderEmail('payment_failed', { subscriptionId: 'sub_1', graceUntil: null }, { siteUrl }).text,
    ).not.toContain('stays on');
    const failed = renderEmail(
      'payment_failed',
      { amountDue: 900, currency: 'usd', graceUntil: '2026-12-07', hostedInvoiceUrl: 'https://pay.example.test/i/1' },
      { siteUrl },
    );
    expect(failed.text).toContain('payment of 9.00 USD');
    expect(failed.text).toContain('until 2026-12-07');
    expect(failed.html).toContain('href="https://pay.example.test/i/1"');
  });

  it('refuses a payload that does not fit, and non-transactional mail without its unsubscribe link', () => {
    expect(() => renderEmail('password_reset', {}, { siteUrl })).toThrow(InvalidPayloadError);
    expect(() => renderEmail('rank_move', { snapshotId: 's', moves: [] }, { siteUrl, unsubscribeUrl })).toThrow(
      InvalidPayloadError,
    );
    expect(() => renderEmail('weekly_digest', { isoWeek: 'w', snapshotId: null, items: [] }, { siteUrl })).toThrow(
      /unsubscribe link/,
    );
  });

  it('builds prospect links as the site routes them', () => {
    expect(prospectUrl('http://localhost:4321', 'a-b-1')).toBe('http://localhost:4321/prospects/a-b-1/');
  });
});
