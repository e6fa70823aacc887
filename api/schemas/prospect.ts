/**
 * Response schemas of the prospect routes, and the functions that build them field by field from published rows and
 * cards: a field the schema does not describe can never leak out of a card, whatever the pipeline adds to it.
 */
import { z } from '@hono/zod-openapi';
import type { FilterOptions, ProspectRow, SearchHit } from '../../db/prospects.ts';
import type { Prospect } from '../../lib/snapshot.ts';
import { SnapshotRefSchema } from './common.ts';

const Confidence = z
  .enum(['High', 'Medium', 'Low'])
  .openapi({ description: 'How much evidence the probability rests on' });

export const OrganizationSchema = z
  .object({
    id: z.number().int().openapi({ description: 'MLB club id', example: 114 }),
    name: z.string().openapi({ example: 'Cleveland Guardians' }),
    abbreviation: z.string().openapi({ example: 'CLE' }),
  })
  .openapi('Organization');

export const ProspectSummarySchema = z
  .object({
    playerId: z.number().int().openapi({ description: 'MLBAM player id' }),
    rank: z.number().int().positive().openapi({ description: 'Overall rank in the snapshot, 1 = best' }),
    name: z.string(),
    slug: z.string().openapi({ description: 'URL slug of the prospect page on the site' }),
    position: z.string().openapi({ description: 'Primary position abbreviation (P for pitchers)', example: 'SS' }),
    isPitcher: z.boolean(),
    organization: OrganizationSchema.nullable().openapi({
      description: 'Organization of his current level; null when unknown',
    }),
    level: z.string().openapi({ description: 'Highest minor-league level of the as-of season', example: 'AA' }),
    age: z.number().nullable().openapi({ description: 'Age on July 1 of the as-of season; null when unknown' }),
    eta: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Expected first MLB season; null when the model cannot say' }),
    confidence: Confidence,
    probability: z
      .number()
      .min(0)
      .max(1)
      .openapi({ description: 'Calibrated probability of MLB success (500 PA or 100 IP within 4 seasons)' }),
    dynastyValue: z
      .number()
      .min(0)
      .openapi({ description: 'Dynasty value on a 0-100 scale at the default 10% yearly discount' }),
    trend: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Ranks gained since the previous snapshot (negative = fell); null when unranked then' }),
  })
  .openapi('ProspectSummary');
export type ProspectSummary = z.infer<typeof ProspectSummarySchema>;

export const FactorSchema = z
  .object({
    feature: z.string().openapi({ description: 'Model feature name', example: 'age_rel_level' }),
    label: z.string().openapi({ description: 'Human label of the feature', example: 'Age vs level' }),
    value: z.number().nullable().openapi({ description: "The player's value of the feature; null when missing" }),
    contribution: z
      .number()
      .openapi({ description: 'SHAP contribution in log-odds (positive raises the probability)' }),
  })
  .openapi('Factor');

export const StatLineSchema = z
  .object({
    season: z.number().int(),
    level: z.string(),
    group: z.enum(['hitting', 'pitching']),
    games: z.number().int(),
    battersOrPa: z.number().int().openapi({ description: 'Plate appearances for hitters, batters faced for pitchers' }),
    innings: z.number().nullable().openapi({ description: 'Innings pitched as a decimal; null for hitters' }),
    strikeoutRate: z
      .number()
      .nullable()
      .openapi({ description: 'Fraction of PA (hitters) or batters faced (pitchers)' }),
    walkRate: z.number().nullable().openapi({ description: 'Fraction of PA (hitters) or batters faced (pitchers)' }),
    powerRate: z
      .number()
      .nullable()
      .openapi({ description: 'ISO for hitters, home runs per batter faced for pitchers' }),
    average: z.number().nullable().openapi({ description: 'Batting average; null for pitchers' }),
  })
  .openapi('StatLine');

export const ComparableSchema = z
  .object({
    playerId: z.number().int(),
    name: z.string(),
    asOfSeason: z.number().int().openapi({ description: 'The season he was compared at' }),
    level: z.string(),
    age: z.number().nullable(),
    similarity: z.number().min(0).max(1).openapi({ description: '1 = identical features' }),
    outcome: z.enum(['success', 'no', 'pending']).openapi({ description: 'What became of him' }),
    mlbPlateAppearances: z.number().int(),
    mlbInnings: z.number(),
  })
  .openapi('Comparable');

export const DynastySchema = z
  .object({
    roleWeight: z
      .number()
      .min(0)
      .openapi({ description: 'What one MLB success in his role is worth, relative to an everyday hitter' }),
    yearsToEta: z.number().min(0).openapi({ description: 'Years the value is discounted for' }),
    value: z
      .number()
      .min(0)
      .openapi({ description: 'Probability x role weight, discounted 10% a year until the ETA, on a 0-100 scale' }),
  })
  .openapi('DynastyValue');

export const ProspectDetailSchema = ProspectSummarySchema.extend({
  positionRank: z.number().int().positive().openapi({ description: 'Rank among hitters or among pitchers' }),
  organizationRank: z.number().int().positive().nullable().openapi({ description: 'Rank within his organization' }),
  evidence: z
    .object({
      seasonWorkload: z
        .number()
        .openapi({ description: 'PA (hitters) or batters faced (pitchers) in the as-of season' }),
      careerWorkload: z.number().openapi({ description: 'PA or batters faced in his career' }),
      seasons: z.number().int().openapi({ description: 'Seasons with professional lines' }),
      levels: z.number().int().openapi({ description: 'Distinct levels played' }),
      spread: z
        .number()
        .min(0)
        .openapi({ description: 'Standard deviation of the probability across the bootstrap ensemble' }),
    })
    .openapi({ description: 'What the confidence rests on' }),
  dynasty: DynastySchema,
  baseValue: z.number().openapi({ description: 'Log-odds of the model before any feature is known' }),
  factors: z.array(FactorSchema).openapi({ description: 'The largest SHAP contributions, largest first' }),
  narrative: z.array(z.string()).openapi({ description: 'Plain-English lines, one per top factor' }),
  comparables: z
    .array(ComparableSchema)
    .openapi({ description: 'Past prospects closest in feature space, with their outcome' }),
  history: z
    .array(
      z.object({
        date: z.string().openapi({ description: 'When the snapshot was generated (ISO 8601)' }),
        rank: z.number().int().positive(),
        probability: z.number().min(0).max(1),
      }),
    )
    .openapi({ description: 'Rank and probability in each snapshot, oldest first, this one last' }),
  stats: z.array(StatLineSchema).openapi({ description: 'Season lines by level, oldest first' }),
}).openapi('ProspectDetail');
export type ProspectDetail = z.infer<typeof ProspectDetailSchema>;

export const ProspectListSchema = z
  .object({
    snapshot: SnapshotRefSchema,
    page: z.number().int().positive(),
    pageSize: z.number().int().positive(),
    total: z.number().int().min(0).openapi({ description: 'Prospects matching the filters, over all pages' }),
    totalPages: z.number().int().min(0),
    items: z.array(ProspectSummarySchema),
  })
  .openapi('ProspectList');

export const SearchResultSchema = z
  .object({
    snapshot: SnapshotRefSchema,
    query: z.string().openapi({ description: 'The query as matched: accents stripped, lower case' }),
    items: z.array(
      ProspectSummarySchema.extend({
        score: z
          .number()
          .min(0)
          .max(1)
          .openapi({ description: 'Trigram word similarity of the query to the name, 1 = exact' }),
      }).openapi('SearchHit'),
    ),
  })
  .openapi('SearchResult');

const Count = z.number().int().min(0).openapi({ description: 'Prospects with this value' });

export const FilterOptionsSchema = z
  .object({
    snapshot: SnapshotRefSchema,
    total: z.number().int().min(0).openapi({ description: 'Prospects in the snapshot' }),
    positions: z.array(z.object({ value: z.string(), count: Count })),
    organizations: z.array(
      z.object({ id: z.number().int(), abbreviation: z.string(), name: z.string(), count: Count }),
    ),
    levels: z.array(z.object({ value: z.string(), count: Count })).openapi({ description: 'Lowest level first' }),
    etaYears: z.array(z.object({ value: z.number().int(), count: Count })),
    types: z.array(z.object({ value: z.enum(['hitter', 'pitcher']), count: Count })),
    confidences: z.array(z.object({ value: Confidence, count: Count })),
    sorts: z.array(z.string()).openapi({ description: 'Values `sort` accepts' }),
  })
  .openapi('FilterOptions');

export const ProspectDetailResponseSchema = z
  .object({ snapshot: SnapshotRefSchema, prospect: ProspectDetailSchema })
  .openapi('ProspectDetailResponse');

export const CompareResponseSchema = z
  .object({
    snapshot: SnapshotRefSchema,
    prospects: z.array(ProspectDetailSchema).openapi({ description: 'In the order the ids were given' }),
  })
  .openapi('ProspectComparison');

export function toSummary(row: ProspectRow): ProspectSummary {
  return {
    playerId: row.playerId,
    rank: row.rank,
    name: row.name,
    slug: row.slug,
    position: row.position,
    isPitcher: row.isPitcher,
    organization: row.organization
      ? { id: row.organization.id, name: row.organization.name, abbreviation: row.organization.abbreviation }
      : null,
    level: row.level,
    age: row.age,
    eta: row.eta,
    confidence: row.confidence,
    probability: row.probability,
    dynastyValue: row.dynastyValue,
    trend: row.trend,
  };
}

export function toSearchHit(hit: SearchHit): ProspectSummary & { score: number } {
  return { ...toSummary(hit), score: Math.min(1, Math.max(0, hit.score)) };
}

/** A published card as the API shows it. */
export function toDetail(card: Prospect): ProspectDetail {
  const org = card.organization;
  return {
    playerId: card.playerId,
    rank: card.rank,
    name: card.name,
    slug: card.slug,
    position: card.position,
    isPitcher: card.isPitcher,
    organization: org ? { id: org.id, name: org.name, abbreviation: org.abbreviation } : null,
    level: card.level,
    age: card.age,
    eta: card.eta,
    confidence: card.confidence,
    probability: card.probability,
    dynastyValue: card.dynasty.value,
    trend: card.trend,
    positionRank: card.positionRank,
    organizationRank: card.organizationRank,
    evidence: {
      seasonWorkload: card.evidence.seasonWorkload,
      careerWorkload: card.evidence.careerWorkload,
      seasons: card.evidence.seasons,
      levels: card.evidence.levels,
      spread: card.evidence.spread,
    },
    dynasty: { roleWeight: card.dynasty.roleWeight, yearsToEta: card.dynasty.yearsToEta, value: card.dynasty.value },
    baseValue: card.baseValue,
    factors: card.factors.map((f) => ({
      feature: f.feature,
      label: f.label,
      value: f.value,
      contribution: f.contribution,
    })),
    narrative: [...card.narrative],
    comparables: card.comparables.map((m) => ({
      playerId: m.playerId,
      name: m.name,
      asOfSeason: m.asOfSeason,
      level: m.level,
      age: m.age,
      similarity: m.similarity,
      outcome: m.outcome,
      mlbPlateAppearances: m.mlbPlateAppearances,
      mlbInnings: m.mlbInnings,
    })),
    history: card.history.map((h) => ({ date: h.date, rank: h.rank, probability: h.probability })),
    stats: card.stats.map((s) => ({
      season: s.season,
      level: s.level,
      group: s.group,
      games: s.games,
      battersOrPa: s.battersOrPa,
      innings: s.innings,
      strikeoutRate: s.strikeoutRate,
      walkRate: s.walkRate,
      powerRate: s.powerRate,
      average: s.average,
    })),
  };
}

export function toFilterOptions(
  options: FilterOptions,
): Omit<z.infer<typeof FilterOptionsSchema>, 'snapshot' | 'sorts'> {
  return {
    total: options.total,
    positions: options.positions.map((p) => ({ value: p.value, count: p.count })),
    organizations: options.organizations.map((o) => ({
      id: o.id,
      abbreviation: o.abbreviation,
      name: o.name,
      count: o.count,
    })),
    levels: options.levels.map((l) => ({ value: l.value, count: l.count })),
    etaYears: options.etaYears.map((e) => ({ value: e.value, count: e.count })),
    types: options.types.map((t) => ({ value: t.value, count: t.count })),
    confidences: options.confidences.map((c) => ({ value: c.value, count: c.count })),
  };
}
