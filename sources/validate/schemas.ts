/**
 * Shape checks at the Stats API boundary: zod schemas of a `/stats` split, a `/people` person, a `/teams` team and a
 * `/draft` pick (and of the responses holding them), and `checkShape(kind, raw)`, which returns null or a short reason
 * naming the first offending paths. Run before parsing, so a response whose shape drifted is quarantined whole with a
 * precise reason instead of turning into thousands of identical per-row parse rejects.
 *
 * What is checked is the TYPE of every field the parsers read; absence is allowed wherever the parsers already handle
 * it row by row (a split without `player.id`, a person without a birth date). Values (negative counts, hits > at-bats)
 * are the parser's and season-lines.ts's business, not the shape's. Everything else passes through untouched: the API
 * adds fields freely. Both split shapes the API has used are legitimate: `player` or `person`, string or numeric season.
 */
import { z } from 'zod';

/** A count as the API sends it: a number, or loosely a numeric string (the parser decides whether it can use it). */
const COUNT = 'expected a count (number or numeric string)';
const count = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/, { error: COUNT })], { error: COUNT });
const optCount = count.nullish();
/** An id: a number or a string of digits. */
const ID = 'expected an id (integer or digit string)';
const id = z.union([z.number().int({ error: ID }), z.string().regex(/^\d+$/, { error: ID })], { error: ID });
/** "2015" in most seasons, 2015 in the drifted one. */
const SEASON = 'expected a season (YYYY, number or string)';
const season = z.union([z.number().int({ error: SEASON }), z.string().regex(/^\d{4}$/, { error: SEASON })], {
  error: SEASON,
});
/** "166.2": whole innings, then outs (0-2) after the point; a plain number is accepted too. */
const INNINGS = 'expected innings ("166.2" or a number)';
const innings = z.union([z.number(), z.string().regex(/^\d+(\.[0-2])?$/, { error: INNINGS })], { error: INNINGS });
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date YYYY-MM-DD' });
const ref = z.looseObject({ id: id.optional() });
const coded = z.looseObject({ code: z.string().nullish() }).nullish();
const abbreviated = z.looseObject({ abbreviation: z.string().nullish() }).nullish();

/** Every count the hitting and pitching parsers read, each optional: the group-agnostic split's `stat`. */
const anyStat = z.looseObject({
  gamesPlayed: optCount,
  plateAppearances: optCount,
  atBats: optCount,
  hits: optCount,
  doubles: optCount,
  triples: optCount,
  homeRuns: optCount,
  baseOnBalls: optCount,
  intentionalWalks: optCount,
  hitByPitch: optCount,
  strikeOuts: optCount,
  stolenBases: optCount,
  caughtStealing: optCount,
  sacFlies: optCount,
  gamesPitched: optCount,
  gamesStarted: optCount,
  outs: optCount,
  battersFaced: optCount,
  hitBatsmen: optCount,
  earnedRuns: optCount,
  inningsPitched: innings.nullish(),
});

// The counts the parsers cannot do without: the API always sends them, so their absence means the shape changed.
const hittingStat = anyStat.extend({
  plateAppearances: count,
  atBats: count,
  hits: count,
  homeRuns: count,
  baseOnBalls: count,
  strikeOuts: count,
});
const pitchingStat = anyStat
  .extend({ battersFaced: count, hits: count, homeRuns: count, baseOnBalls: count, strikeOuts: count })
  .refine((s) => s.outs != null || s.inningsPitched != null, {
    error: 'expected outs or inningsPitched',
    path: ['outs'],
  });

const splitOf = <S extends z.ZodType>(stat: S) =>
  z.looseObject({
    season: season.optional(),
    stat,
    player: ref.optional(),
    person: ref.optional(),
    team: ref.nullish(),
    sport: ref.optional(),
    numTeams: z.number().int().nullish(),
  });

export const statSplitSchema = splitOf(anyStat);
export const hittingSplitSchema = splitOf(hittingStat);
export const pitchingSplitSchema = splitOf(pitchingStat);

/** Container types the stats parser reads; the others (career, advanced, ...) pass with any splits. */
const READ_TYPES = new Set(['season', 'yearByYear']);

/** A `stats[]` container: its splits are checked against the schema of its group when the parser will read them. */
export const statsContainerSchema = z
  .looseObject({
    type: z.looseObject({ displayName: z.string() }).optional(),
    group: z.looseObject({ displayName: z.string() }).optional(),
    splits: z.array(z.unknown()),
  })
  .superRefine((c, ctx) => {
    if (c.type !== undefined && !READ_TYPES.has(c.type.displayName)) return;
    const g = c.group?.displayName;
    const schema =
      g === 'hitting'
        ? hittingSplitSchema
        : g === 'pitching'
          ? pitchingSplitSchema
          : g === undefined
            ? statSplitSchema
            : null;
    if (schema === null) return; // fielding and other groups: never parsed
    c.splits.forEach((split, i) => {
      const r = schema.safeParse(split, { reportInput: true });
      if (r.success) return;
      for (const issue of r.error.issues) {
        ctx.addIssue({
          code: 'custom',
          message: issue.message,
          path: ['splits', i, ...issue.path],
          input: issue.input,
        });
      }
    });
  });

export const statsResponseSchema = z.looseObject({ stats: z.array(statsContainerSchema) });

export const personSchema = z.looseObject({
  id: z.number({ error: 'expected a numeric person id' }).int().positive(),
  fullName: z.string().nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  birthDate: isoDate.nullish(),
  mlbDebutDate: isoDate.nullish(),
  primaryPosition: abbreviated,
  batSide: coded,
  pitchHand: coded,
  currentTeam: ref.nullish(),
  /** `/people?hydrate=stats(...)` puts each person's stat containers here. */
  stats: z.array(statsContainerSchema).optional(),
});

/** `/people`, `/people/{id}`, `/sports/{id}/players` and `/people/changes` all answer `{ people: [...] }`. */
export const peopleResponseSchema = z.looseObject({ people: z.array(personSchema) });

export const teamSchema = z.looseObject({
  id,
  name: z.string(),
  sport: z.looseObject({ id }),
  season: season.optional(),
  abbreviation: z.string().nullish(),
  parentOrgId: id.nullish(),
  league: ref.nullish(),
});

export const teamsResponseSchema = z.looseObject({ teams: z.array(teamSchema) });

export const draftPickSchema = z.looseObject({
  pickNumber: count,
  pickRound: z.string().nullish(),
  year: season.optional(),
  /** Absent on a passed pick, which the draft parser rejects by itself. */
  person: ref.nullish(),
  team: ref.nullish(),
  school: z.looseObject({ name: z.string().nullish() }).nullish(),
  isPass: z.boolean().nullish(),
});

export const draftResponseSchema = z.looseObject({
  drafts: z.looseObject({
    draftYear: season.optional(),
    rounds: z.array(z.looseObject({ round: z.string().nullish(), picks: z.array(draftPickSchema) })),
  }),
});

export const SHAPES = {
  /** Whole responses, named like ingest's kindOf(url). */
  stats: statsResponseSchema,
  people: peopleResponseSchema,
  teams: teamsResponseSchema,
  draft: draftResponseSchema,
  /** Single records. */
  split: statSplitSchema,
  hittingSplit: hittingSplitSchema,
  pitchingSplit: pitchingSplitSchema,
  person: personSchema,
  team: teamSchema,
  draftPick: draftPickSchema,
} as const;

export type ShapeKind = keyof typeof SHAPES;

/** How many issues a reason lists before it says how many more there were. */
export const MAX_ISSUES_IN_REASON = 3;

/** `stats[0].splits[12].stat.strikeOuts` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  return out === '' ? '(root)' : out;
}

function shortInput(input: unknown): string {
  if (input === undefined) return 'missing';
  const text = JSON.stringify(input) ?? typeof input;
  return `got ${text.length > 40 ? `${text.slice(0, 37)}...` : text}`;
}

export interface ShapeIssue {
  /** `stat.battersFaced` */
  path: string;
  message: string;
  /** The offending value; undefined when the field is absent. */
  input: unknown;
}

/** Every issue of `raw` against the shape of `kind`, in zod's order; empty when it has the shape. */
export function shapeIssues(kind: ShapeKind, raw: unknown): ShapeIssue[] {
  const result = SHAPES[kind].safeParse(raw, { reportInput: true });
  if (result.success) return [];
  return result.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message, input: i.input }));
}

/** Null when `raw` has the shape of `kind`, else a short reason: the first few issues, each with its path. */
export function checkShape(kind: ShapeKind, raw: unknown): string | null {
  return describeShapeIssues(kind, shapeIssues(kind, raw));
}

/** The reason checkShape gives for these issues, or null when there are none. */
export function describeShapeIssues(kind: ShapeKind, issues: readonly ShapeIssue[]): string | null {
  if (issues.length === 0) return null;
  const listed = issues.slice(0, MAX_ISSUES_IN_REASON).map((i) => `${i.path}: ${i.message}, ${shortInput(i.input)}`);
  const more = issues.length > MAX_ISSUES_IN_REASON ? ` (and ${issues.length - MAX_ISSUES_IN_REASON} more)` : '';
  return `${kind} shape: ${listed.join('; ')}${more}`;
}
