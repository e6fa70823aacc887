/**
 * generateUniverse: a deterministic, generated history of minor-league baseball (the project's embedded default data
 * source), served over HTTP by server.ts in the MLB Stats API's own shapes.
 *
 * How it is made: thirty invented organisations, one affiliate per level per season. Players have a hidden skill that
 * grows with age at a personal speed plus a random walk; they enter through the June draft (40 rounds to 2019, 5 in
 * 2020, 20 since; better projected players go earlier, with scouting noise), the July international signing period
 * (debut at 17) or as undrafted fillers. Each spring every club ranks its players and fills its levels from MLB down
 * within one level's move (Double-A may jump to MLB); whoever finds no spot is released. During the season players
 * are promoted, called up, traded and sent on rehab. Rates are drawn around CALIBRATION.md's level means, shifted by
 * skill and a personal profile. In 2020 there are no minor-league games and MLB plays 60 games, as in reality.
 * A few warm-up seasons run before `fromSeason` so its rosters are not all rookies; only fromSeason..toSeason are served.
 * `scale` thins everything evenly: rosters, signings and the draft, whose kept picks keep their full-draft round and
 * pick numbers (at scale 0.1 a draft lists picks 10, 20, 30, ...), so draft position means the same at every scale.
 *
 * Faults injected into the served /stats rows on purpose (FAULT_RATES and friends in faults.ts; logged in `faults`):
 * - traded players: per-team rows plus an aggregate row without `team`, carrying `numTeams` (every mid-season trade,
 *   about 2.5% of minor-league and 4% of MLB lines; this is how the real API shows them);
 * - placeholder rate strings: every rate of ~0.4% of rows is ".---" / "-.--" even though counts exist (natural
 *   placeholders also appear wherever a denominator is zero, as in the real API);
 * - missing optional fields: ~1% of rows lack intentionalWalks, sacFlies, caughtStealing (hitting) or hitByPitch,
 *   gamesStarted (pitching), and `league`; ~1% of pitching rows lack `outs` (only "166.2"-style inningsPitched left);
 * - duplicated rows: ~0.3% of rows appear twice in a row, byte-identical;
 * - impossible values: 3 rows per season and group (negative strikeOuts, hits > atBats or > battersFaced,
 *   plateAppearances < atBats);
 * - a row without a player id: 1 per season and group (`player: { fullName }` only);
 * - shape drift: in one season (`shapeDriftSeason`, default fromSeason + 5) every split has a numeric `season` and
 *   names its player `person` instead of `player`.
 */
import type { SeasonLine } from '../../lib/domain.ts';
import type { DraftRecord } from './context.ts';
import { injectFaults, type FaultLog, type MissingFieldFault } from './faults.ts';
import type { SampleOrganization } from './organizations.ts';
import { seasonAge, type SamplePlayer } from './players.ts';
import { rowsFromStints, type StatRow } from './rows.ts';
import { simulate } from './simulate.ts';
import { truthLines } from './truth.ts';

export interface UniverseOptions {
  /** Seed of every random draw; the same seed gives byte-identical responses. @default 1 */
  seed?: number;
  /** First season served. @default 2010 */
  fromSeason?: number;
  /** Last season served. @default 2026 */
  toSeason?: number;
  /** Share (0 < scale <= 1) of the real volume of players per level; 0.1 gives a few hundred lines per level. @default 1 */
  scale?: number;
  /** Seasons simulated before fromSeason and not served. @default 8 */
  warmupSeasons?: number;
  /** No minor-league season in 2020 and a 60-game MLB season, like the real record. @default true */
  covid2020?: boolean;
  /** Season whose splits use a drifted JSON shape; null for none. @default fromSeason + 5 if served, else null */
  shapeDriftSeason?: number | null;
  /** A field missing from every split of a group (faults.ts MissingFieldFault), to test the circuit breaker. @default null */
  missingField?: MissingFieldFault | null;
  /** Every N-th player (id % N === 0) has the placeholder birth date 1950-01-01 in his bio (faults.ts). @default null */
  placeholderBirthDateEvery?: number | null;
  /**
   * A group the server sends no splits of at all (a well-formed container with totalSplits 0), to test that the
   * circuit breaker sees data missing altogether. @default null
   */
  noSplitsOf?: 'hitting' | 'pitching' | null;
}

export type ResolvedUniverseOptions = Required<UniverseOptions>;

export interface SampleUniverse {
  options: ResolvedUniverseOptions;
  organizations: readonly SampleOrganization[];
  /** Everyone with an id: players, released players and unsigned draftees. Includes hidden truth (skill, dev). */
  people: ReadonlyMap<number, SamplePlayer>;
  /** Served rows by `${season}:${group}`, ordered by sportId then player, faults included. */
  rows: ReadonlyMap<string, readonly StatRow[]>;
  /** Clean lines (one per player, season, level, group) of the served seasons: the truth behind the rows. */
  lines: readonly SeasonLine[];
  drafts: ReadonlyMap<number, readonly DraftRecord[]>;
  faults: FaultLog;
  /** Age of a player on July 1 of a season. */
  ageOf: (playerId: number, season: number) => number;
}

export function resolveUniverseOptions(options: UniverseOptions = {}): ResolvedUniverseOptions {
  const seed = options.seed ?? 1;
  const fromSeason = options.fromSeason ?? 2010;
  const toSeason = options.toSeason ?? 2026;
  const scale = options.scale ?? 1;
  const warmupSeasons = options.warmupSeasons ?? 8;
  if (!Number.isSafeInteger(seed)) throw new Error(`generateUniverse: seed must be an integer, got ${seed}`);
  if (!Number.isInteger(fromSeason) || fromSeason < 1990 || fromSeason > 2100) {
    throw new Error(`generateUniverse: fromSeason must be an integer season between 1990 and 2100, got ${fromSeason}`);
  }
  if (!Number.isInteger(toSeason) || toSeason < fromSeason || toSeason > 2100) {
    throw new Error(
      `generateUniverse: toSeason must be an integer between fromSeason (${fromSeason}) and 2100, got ${toSeason}`,
    );
  }
  if (!(scale > 0 && scale <= 1)) throw new Error(`generateUniverse: scale must be in (0, 1], got ${scale}`);
  if (!Number.isInteger(warmupSeasons) || warmupSeasons < 0 || warmupSeasons > 20) {
    throw new Error(`generateUniverse: warmupSeasons must be an integer from 0 to 20, got ${warmupSeasons}`);
  }
  const defaultDrift = fromSeason + 5 <= toSeason ? fromSeason + 5 : null;
  const shapeDriftSeason = options.shapeDriftSeason === undefined ? defaultDrift : options.shapeDriftSeason;
  if (shapeDriftSeason !== null && !Number.isInteger(shapeDriftSeason)) {
    throw new Error(`generateUniverse: shapeDriftSeason must be an integer season or null, got ${shapeDriftSeason}`);
  }
  const missingField = options.missingField ?? null;
  if (
    missingField !== null &&
    (!['hitting', 'pitching'].includes(missingField.group) || missingField.field.trim() === '')
  ) {
    throw new Error(
      `generateUniverse: missingField needs a group (hitting or pitching) and a field, got ${JSON.stringify(missingField)}`,
    );
  }
  const placeholderBirthDateEvery = options.placeholderBirthDateEvery ?? null;
  if (
    placeholderBirthDateEvery !== null &&
    !(Number.isInteger(placeholderBirthDateEvery) && placeholderBirthDateEvery >= 1)
  ) {
    throw new Error(
      `generateUniverse: placeholderBirthDateEvery must be a positive integer or null, got ${placeholderBirthDateEvery}`,
    );
  }
  const noSplitsOf = options.noSplitsOf ?? null;
  if (noSplitsOf !== null && !['hitting', 'pitching'].includes(noSplitsOf)) {
    throw new Error(
      `generateUniverse: noSplitsOf must be hitting, pitching or null, got ${JSON.stringify(noSplitsOf)}`,
    );
  }
  return {
    seed,
    fromSeason,
    toSeason,
    scale,
    warmupSeasons,
    covid2020: options.covid2020 ?? true,
    shapeDriftSeason,
    missingField,
    placeholderBirthDateEvery,
    noSplitsOf,
  };
}

export function generateUniverse(options: UniverseOptions = {}): SampleUniverse {
  const opts = resolveUniverseOptions(options);
  const ctx = simulate({
    seed: opts.seed,
    startSeason: opts.fromSeason - opts.warmupSeasons,
    toSeason: opts.toSeason,
    scale: opts.scale,
    covid2020: opts.covid2020,
  });
  const served = ctx.stints.filter((s) => s.season >= opts.fromSeason);
  const rows = rowsFromStints(served);
  const faults: FaultLog = { records: [], aggregateRows: 0, shapeDriftSeason: opts.shapeDriftSeason };
  const faultRng = ctx.rng.fork('faults');
  for (const key of [...rows.keys()].sort()) {
    const list = rows.get(key);
    if (list) injectFaults(list, faultRng, faults);
  }
  const drafts = new Map<number, DraftRecord[]>();
  for (const [year, records] of ctx.drafts) if (year >= opts.fromSeason - opts.warmupSeasons) drafts.set(year, records);
  const people = ctx.players;
  return {
    options: opts,
    organizations: ctx.orgs,
    people,
    rows,
    lines: truthLines(served).lines,
    drafts,
    faults,
    ageOf: (playerId, season) => {
      const p = people.get(playerId);
      if (!p) throw new Error(`no player ${playerId} in the sample universe`);
      return seasonAge(p, season);
    },
  };
}
