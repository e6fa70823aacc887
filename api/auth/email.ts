/**
 * Email addresses as accounts know them: one normalized form (trimmed, NFKC, lower case), so `Ann@Example.com ` and
 * `ann@example.com` are one account and one login-throttle bucket. The `users` table checks the same form.
 */
import { z } from '@hono/zod-openapi';

/** RFC 5321 caps a path at 254 octets; anything longer is not an address and would only cost us hashing. */
export const EMAIL_MAX_LENGTH = 254;

export function normalizeEmail(raw: string): string {
  return raw.normalize('NFKC').trim().toLowerCase();
}

/** A request field holding an email: validated loosely (one @, no spaces), normalized on the way in. */
export const EmailSchema = z
  .string()
  .max(EMAIL_MAX_LENGTH)
  .transform(normalizeEmail)
  .pipe(
    z
      .string()
      .min(3)
      .max(EMAIL_MAX_LENGTH)
      .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an email address'),
  )
  .openapi({ type: 'string', format: 'email', example: 'ann@example.com' });
