/**
 * Shape checks of the `/people`, `/teams` and `/draft` responses and of each record in them, run by their parsers:
 * a body that is not the expected container (no `people` list, a `drafts` without rounds) is rejected whole with the
 * reason, instead of quietly parsing to nothing; a record whose fields have the wrong type is rejected with the
 * offending paths. Dates stay loose on purpose: a malformed or placeholder birth date makes the date unknown (the
 * parser and the birth-date screen handle it), it does not cost the player his bio.
 */
import { z } from 'zod';
import { formatPath } from '../validate/schemas.ts';

const id = z.union([z.number().int().positive(), z.string().regex(/^\d+$/)], {
  error: 'expected an id (positive integer or digit string)',
});
const text = z.string().nullish();
const looseDate = z.string().nullish();
const coded = z.looseObject({ code: text }).nullish();
const abbreviated = z.looseObject({ abbreviation: text, code: text }).nullish();
const ref = z.looseObject({ id: id.nullish() }).nullish();

export const personRecordSchema = z.looseObject({
  id: z.number({ error: 'expected a numeric person id' }).int().positive(),
  fullName: text,
  firstName: text,
  lastName: text,
  birthDate: looseDate,
  mlbDebutDate: looseDate,
  primaryPosition: abbreviated,
  batSide: coded,
  pitchHand: coded,
});

export const teamRecordSchema = z.looseObject({
  id,
  name: z.string({ error: 'expected a team name' }),
  sport: z.looseObject({ id }, { error: 'expected sport: { id }' }),
  season: z.union([z.number().int(), z.string().regex(/^\d{4}$/)]).nullish(),
  abbreviation: text,
  parentOrgId: id.nullish(),
});

export const draftPickRecordSchema = z.looseObject({
  pickNumber: z.union([z.number().int(), z.string().regex(/^\d+$/)], { error: 'expected a pick number' }),
  pickRound: text,
  year: z.union([z.number().int(), z.string().regex(/^\d{4}$/)]).nullish(),
  person: ref,
  team: ref,
  school: z.looseObject({ name: text }).nullish(),
  isPass: z.boolean().nullish(),
});

/** Only the containers: records are checked one by one, so one bad record does not cost the others. */
export const peopleBodySchema = z.looseObject({ people: z.array(z.unknown()) });
export const teamsBodySchema = z.looseObject({ teams: z.array(z.unknown()) });
export const draftBodySchema = z.looseObject({
  drafts: z.looseObject({ rounds: z.array(z.looseObject({ round: text, picks: z.array(z.unknown()) })) }),
});

/** Null when `raw` fits `schema`, else `<what> shape: <path>: <message>; ...` (the first three issues). */
export function shapeProblem(what: string, schema: z.ZodType, raw: unknown): string | null {
  const result = schema.safeParse(raw);
  if (result.success) return null;
  const issues = result.error.issues;
  const listed = issues.slice(0, 3).map((i) => `${formatPath(i.path)}: ${i.message}`);
  return `${what} shape: ${listed.join('; ')}${issues.length > 3 ? ` (and ${issues.length - 3} more)` : ''}`;
}
