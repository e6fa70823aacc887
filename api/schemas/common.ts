/**
 * Request parameters and response parts the prospect and ML routes share: a player id in the path, the `as_of` day
 * that reproduces what was served then, and the reference to the ranking snapshot an answer comes from.
 */
import { z } from '@hono/zod-openapi';

export const INT32_MAX = 2_147_483_647;

/** A player id as JSON carries it: a positive 32-bit integer (the MLBAM id). */
export const PlayerIdSchema = z
  .number()
  .int()
  .min(1)
  .max(INT32_MAX)
  .openapi({ description: 'MLBAM player id', example: 608070 });

/**
 * A player id as a path carries it: digits only, no sign or leading zero, at most int32 (so `abc`, `../etc/passwd`
 * and `99999999999` are 400s, not lookups).
 */
export const PlayerIdPathSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, 'must be a positive integer')
  .refine((value) => Number(value) <= INT32_MAX, `must be at most ${INT32_MAX}`)
  .openapi({
    param: { name: 'id', in: 'path' },
    description: 'MLBAM player id (positive 32-bit integer)',
    example: '608070',
  });

export const PlayerIdParamsSchema = z.object({ id: PlayerIdPathSchema });

function isCalendarDay(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** `as_of=YYYY-MM-DD`: answer with the ranking snapshot published on or before that day (UTC). */
export const AsOfSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine(isCalendarDay, 'must be a real calendar day')
  .optional()
  .openapi({
    param: { name: 'as_of', in: 'query' },
    description:
      'Reproduce what was served on this day (UTC): the ranking snapshot published on or before its end. Latest when absent.',
    example: '2025-06-01',
  });

export const AsOfQuerySchema = z.object({ as_of: AsOfSchema });

/** The last instant of a `YYYY-MM-DD` day, UTC. */
export function endOfDay(day: string): Date {
  return new Date(`${day}T23:59:59.999Z`);
}

/** Which published ranking snapshot an answer comes from. */
export const SnapshotRefSchema = z
  .object({
    id: z.string().openapi({ description: 'Ranking snapshot id', example: 'rs-2025-06-01' }),
    publishedAt: z
      .string()
      .openapi({ description: 'When it was published (ISO 8601, UTC)', example: '2025-06-01T12:00:00.000Z' }),
  })
  .openapi('SnapshotRef');
export type SnapshotRef = z.infer<typeof SnapshotRefSchema>;
