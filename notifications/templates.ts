/**
 * The e-mails, one template per outbox kind: subject, plain text and HTML (every value escaped) built from the row's
 * payload, which is validated first. Non-transactional mail (rank moves, the weekly digest) carries a signed one-click
 * unsubscribe link in its body and in List-Unsubscribe / List-Unsubscribe-Post headers (RFC 8058).
 */
import { z } from 'zod';
import type { EmailKind } from '../db/outbox.ts';
import { isUnsubscribableKind } from './links.ts';

const slug = z
  .string()
  .regex(/^[a-z0-9-]+$/)
  .nullable()
  .optional();

export const RankMovePayloadSchema = z.object({
  snapshotId: z.string(),
  moves: z
    .array(
      z.object({
        playerId: z.number().int(),
        name: z.string(),
        slug,
        /** Null for a newcomer to the rankings. */
        previousRank: z.number().int().nullable(),
        /** Null when he dropped out of the rankings. */
        newRank: z.number().int().nullable(),
      }),
    )
    .min(1),
});

export const WeeklyDigestPayloadSchema = z.object({
  isoWeek: z.string(),
  snapshotId: z.string().nullable(),
  items: z.array(
    z.object({
      playerId: z.number().int(),
      name: z.string(),
      slug,
      rank: z.number().int().nullable(),
      /** Move since the snapshot before: positive = up. */
      rankChange: z.number().int().nullable(),
    }),
  ),
});

/** Billing's welcome carries the subscription it greets; a plain welcome carries nothing. */
const WelcomePayloadSchema = z.object({ subscriptionId: z.string().optional() });
const PasswordResetPayloadSchema = z.object({ resetUrl: z.url(), expiresAt: z.string().optional() });
const PaymentFailedPayloadSchema = z.object({
  /** Amount due in the currency's smallest unit (cents). */
  amountDue: z.number().int().nonnegative().optional(),
  currency: z.string().min(3).max(3).optional(),
  /** When premium ends unless the payment goes through (ISO date or date-time); null: no grace. */
  graceUntil: z.string().nullable().optional(),
  /** Where the subscriber updates his card (Stripe's hosted invoice or billing portal). */
  hostedInvoiceUrl: z.url().optional(),
});

export type RankMovePayload = z.infer<typeof RankMovePayloadSchema>;
export type WeeklyDigestPayload = z.infer<typeof WeeklyDigestPayloadSchema>;

export interface RenderContext {
  /** The public site, for prospect links. */
  siteUrl: string;
  /** The signed unsubscribe address of this user and kind; required for non-transactional kinds. */
  unsubscribeUrl?: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

/** A payload its template cannot use: retrying will not help. */
export class InvalidPayloadError extends Error {
  override name = 'InvalidPayloadError';
}

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );
}

/** The prospect's page on the site (site/src/pages/prospects/[slug].astro, trailing slash as the site builds it). */
export function prospectUrl(siteUrl: string, prospectSlug: string): string {
  return `${siteUrl.replace(/\/+$/, '')}/prospects/${prospectSlug}/`;
}

interface Body {
  subject: string;
  /** Paragraphs of plain text; lines of a list are joined inside one. */
  text: string[];
  /** HTML fragments, already escaped. */
  html: string[];
}

const SIGNATURE = 'A Fine Wine Dynasty';

function parse<T>(schema: z.ZodType<T>, kind: EmailKind, payload: unknown): T {
  const parsed = schema.safeParse(payload);
  if (!parsed.success)
    throw new InvalidPayloadError(
      `${kind} payload: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

function link(url: string, label: string): string {
  return `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>`;
}

/** An ISO date-time as `2026-12-07 14:05 UTC` (or only its day); anything else as given. */
function when(value: string, dayOnly = false): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const iso = date.toISOString();
  return dayOnly ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function rankText(rank: number | null): string {
  return rank === null ? 'unranked' : `#${rank}`;
}

function moveText(move: RankMovePayload['moves'][number]): string {
  if (move.previousRank === null) return `entered the rankings at ${rankText(move.newRank)}`;
  if (move.newRank === null) return `dropped out of the rankings (was #${move.previousRank})`;
  const places = move.previousRank - move.newRank;
  return `${places > 0 ? 'up' : 'down'} ${Math.abs(places)}: #${move.previousRank} → #${move.newRank}`;
}

function changeText(change: number | null): string {
  if (change === null) return 'new';
  if (change === 0) return 'no change';
  return change > 0 ? `up ${change}` : `down ${-change}`;
}

function bodyOf(kind: EmailKind, payload: unknown, siteUrl: string): Body {
  const named = (name: string, prospectSlug: string | null | undefined) => ({
    text: prospectSlug ? `${name} (${prospectUrl(siteUrl, prospectSlug)})` : name,
    html: prospectSlug ? link(prospectUrl(siteUrl, prospectSlug), name) : escapeHtml(name),
  });
  switch (kind) {
    case 'welcome': {
      const premium = parse(WelcomePayloadSchema, kind, payload).subscriptionId !== undefined;
      const text = premium
        ? 'Welcome to A Fine Wine Dynasty premium: comparisons, explanations and batch predictions are yours. Watch prospects from their pages on the site, and we will tell you when they move.'
        : 'Welcome to A Fine Wine Dynasty. Watch prospects from their pages on the site, and we will tell you when they move.';
      return {
        subject: premium ? 'Welcome to A Fine Wine Dynasty premium' : 'Welcome to A Fine Wine Dynasty',
        text: [text, `The rankings: ${siteUrl}`],
        html: [`<p>${escapeHtml(text)}</p>`, `<p>${link(siteUrl, 'See the rankings')}</p>`],
      };
    }
    case 'password_reset': {
      const p = parse(PasswordResetPayloadSchema, kind, payload);
      const until = p.expiresAt ? ` The link works until ${when(p.expiresAt)}.` : '';
      const text = `Someone (we hope you) asked to reset your password. Choose a new one here:${until} If it was not you, ignore this e-mail.`;
      return {
        subject: 'Reset your password',
        text: [text, p.resetUrl],
        html: [`<p>${escapeHtml(text)}</p>`, `<p>${link(p.resetUrl, 'Choose a new password')}</p>`],
      };
    }
    case 'payment_failed': {
      const p = parse(PaymentFailedPayloadSchema, kind, payload);
      const amount =
        p.amountDue !== undefined && p.currency
          ? ` of ${(p.amountDue / 100).toFixed(2)} ${p.currency.toUpperCase()}`
          : '';
      const grace = p.graceUntil ? ` Premium stays on until ${when(p.graceUntil, true)}.` : '';
      const text = `Your payment${amount} for A Fine Wine Dynasty premium did not go through.${grace} Please update your card.`;
      return {
        subject: 'Your premium payment failed',
        text: [text, ...(p.hostedInvoiceUrl ? [p.hostedInvoiceUrl] : [])],
        html: [
          `<p>${escapeHtml(text)}</p>`,
          ...(p.hostedInvoiceUrl ? [`<p>${link(p.hostedInvoiceUrl, 'Update your payment')}</p>`] : []),
        ],
      };
    }
    case 'rank_move': {
      const p = parse(RankMovePayloadSchema, kind, payload);
      const lines = p.moves.map((m) => ({ ...named(m.name, m.slug), move: moveText(m) }));
      const intro = `${p.moves.length === 1 ? 'A prospect' : `${p.moves.length} prospects`} on your watchlist moved in the new rankings:`;
      return {
        subject:
          p.moves.length === 1
            ? `${p.moves[0]!.name} moved in the rankings`
            : `${p.moves.length} of your prospects moved in the rankings`,
        text: [intro, lines.map((l) => `- ${l.text}: ${l.move}`).join('\n')],
        html: [
          `<p>${escapeHtml(intro)}</p>`,
          `<ul>${lines.map((l) => `<li>${l.html}: ${escapeHtml(l.move)}</li>`).join('')}</ul>`,
        ],
      };
    }
    case 'weekly_digest': {
      const p = parse(WeeklyDigestPayloadSchema, kind, payload);
      const lines = p.items.map((i) => ({
        ...named(i.name, i.slug),
        where: `${rankText(i.rank)} (${changeText(i.rankChange)})`,
      }));
      const intro = p.items.length
        ? 'Where your watchlist stands this week:'
        : 'Your watchlist is empty: watch prospects from their pages on the site.';
      return {
        subject: `Your watchlist this week (${p.isoWeek})`,
        text: [intro, ...(lines.length ? [lines.map((l) => `- ${l.text}: ${l.where}`).join('\n')] : [])],
        html: [
          `<p>${escapeHtml(intro)}</p>`,
          ...(lines.length
            ? [`<ul>${lines.map((l) => `<li>${l.html}: ${escapeHtml(l.where)}</li>`).join('')}</ul>`]
            : []),
        ],
      };
    }
  }
}

/**
 * The e-mail of one outbox row. Throws `InvalidPayloadError` when the payload does not fit the kind, and a TypeError
 * when a non-transactional kind comes without its unsubscribe link (a mail we must never send).
 */
export function renderEmail(kind: EmailKind, payload: unknown, context: RenderContext): RenderedEmail {
  const body = bodyOf(kind, payload, context.siteUrl);
  const text = [...body.text];
  const html = [...body.html];
  const headers: Record<string, string> = {};
  if (isUnsubscribableKind(kind)) {
    if (!context.unsubscribeUrl) throw new TypeError(`a ${kind} e-mail needs its unsubscribe link`);
    const what = kind === 'rank_move' ? 'rank-move alerts' : 'the weekly digest';
    text.push(`Stop ${what}: ${context.unsubscribeUrl}`);
    html.push(`<p style="font-size:12px;color:#666">${link(context.unsubscribeUrl, `Unsubscribe from ${what}`)}</p>`);
    headers['List-Unsubscribe'] = `<${context.unsubscribeUrl}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  text.push(`-- \n${SIGNATURE}`);
  return {
    subject: body.subject,
    text: `${text.join('\n\n')}\n`,
    html: `<!doctype html><html><body style="font-family:sans-serif">${html.join('')}<p>${escapeHtml(SIGNATURE)}</p></body></html>`,
    headers,
  };
}
