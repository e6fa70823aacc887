/**
 * Deliberate data faults in the served rows, so ingest code is tested against the mess real feeds contain.
 * The list and the rates are documented at the top of universe.ts; every injected fault is recorded in a FaultLog.
 */
import type { HittingCounts, PitchingCounts, StatGroup } from '../../lib/domain.ts';
import type { Rng } from './prng.ts';
import type { FaultKind, StatRow } from './rows.ts';

export interface FaultRecord {
  kind: FaultKind;
  playerId: number;
  season: number;
  sportId: number;
  group: StatRow['group'];
}

export interface FaultLog {
  /** Injected faults, one record per affected row (a duplicate is recorded once, on the copy). */
  records: FaultRecord[];
  /** Players with an aggregate row beside per-team rows (traded mid-season): real, not a fault, counted for tests. */
  aggregateRows: number;
  /** Season whose splits use the drifted shape (numeric season, `person` instead of `player`), or null. */
  shapeDriftSeason: number | null;
}

/**
 * A field absent from EVERY served split of a group (of some levels only, when `sportIds` is given): the systematic
 * fault a real run once met (every MLB pitching line without a field), which the data-quality circuit breaker must
 * stop. Off by default; turned on with the universe option `missingField`.
 */
export interface MissingFieldFault {
  group: StatGroup;
  /** A key of the split's `stat`, e.g. 'battersFaced'. */
  field: string;
  /** Levels whose splits lose the field. @default every level */
  sportIds?: readonly number[];
}

/** Removes the fault's field from a rendered split when the row is one it covers; otherwise leaves it alone. */
export function applyMissingField(
  split: Record<string, unknown>,
  row: Pick<StatRow, 'group' | 'sportId'>,
  fault: MissingFieldFault | null,
): void {
  if (!fault || row.group !== fault.group || (fault.sportIds && !fault.sportIds.includes(row.sportId))) return;
  const stat = split.stat;
  if (stat !== null && typeof stat === 'object') delete (stat as Record<string, unknown>)[fault.field];
}

/** The placeholder the real feed uses for an unknown birth date (../shared/realdata has 15 of them). */
export const PLACEHOLDER_BIRTH_DATE = '1950-01-01';

/**
 * Gives every `every`-th player (by id) the placeholder birth date in the bios served, as the real feed does for some
 * players; the lines stay as they are. Off (null) by default; the universe option `placeholderBirthDateEvery`.
 */
export function applyPlaceholderBirthDate(
  person: Record<string, unknown>,
  playerId: number,
  every: number | null,
): void {
  if (every !== null && playerId % every === 0) person.birthDate = PLACEHOLDER_BIRTH_DATE;
}

/** Per-row probabilities of each fault. Impossible values are a fixed handful per season instead. */
export const FAULT_RATES = {
  placeholderRates: 0.004,
  missingOptionalFields: 0.01,
  missingOuts: 0.01,
  duplicate: 0.003,
} as const;

/** Impossible rows per season and group, and rows without a player id per season and group. */
export const IMPOSSIBLE_PER_SEASON = 3;
export const MISSING_ID_PER_SEASON = 1;

function corrupt(row: StatRow, kind: FaultKind): void {
  row.fault = kind;
  if (kind === 'negative-count') {
    row.stats = { ...row.stats, strikeOuts: -Math.max(1, row.stats.strikeOuts) };
  } else if (kind === 'hits-over-at-bats' && row.group === 'hitting') {
    const s = row.stats as HittingCounts;
    row.stats = { ...s, hits: s.atBats + 3 };
  } else if (kind === 'hits-over-at-bats') {
    const s = row.stats as PitchingCounts;
    row.stats = { ...s, hits: s.battersFaced + 2 };
  } else if (kind === 'pa-under-at-bats' && row.group === 'hitting') {
    const s = row.stats as HittingCounts;
    row.stats = { ...s, plateAppearances: Math.max(0, s.atBats - 5) };
  }
}

/** Mutates the rows of one season and group in place (and inserts duplicates); returns what it did. */
export function injectFaults(rows: StatRow[], rng: Rng, log: FaultLog): void {
  const record = (row: StatRow, kind: FaultKind): void => {
    log.records.push({ kind, playerId: row.playerId, season: row.season, sportId: row.sportId, group: row.group });
  };
  for (const row of rows) if (row.numTeams !== null) log.aggregateRows += 1;
  // Impossible values and a missing id go on rows of players who stayed with one team, so the aggregate logic
  // stays testable apart (a broken per-team row beside a sound aggregate would hide behind it).
  const traded = new Set(rows.filter((r) => r.numTeams !== null).map((r) => `${r.playerId}:${r.sportId}`));
  const plain = rows.filter((r) => !traded.has(`${r.playerId}:${r.sportId}`) && r.fault === null);
  const kinds: FaultKind[] =
    rows[0]?.group === 'pitching'
      ? ['negative-count', 'hits-over-at-bats']
      : ['negative-count', 'hits-over-at-bats', 'pa-under-at-bats'];
  for (let i = 0; i < IMPOSSIBLE_PER_SEASON + MISSING_ID_PER_SEASON && plain.length > 0; i++) {
    const row = plain.splice(rng.int(0, plain.length - 1), 1)[0];
    if (!row) continue;
    const kind: FaultKind =
      i < IMPOSSIBLE_PER_SEASON ? (kinds[i % kinds.length] ?? 'negative-count') : 'missing-player-id';
    corrupt(row, kind);
    record(row, kind);
  }
  const out: StatRow[] = [];
  for (const row of rows) {
    if (row.fault === null) {
      const u = rng.next();
      let kind: FaultKind | null = null;
      if (u < FAULT_RATES.placeholderRates) kind = 'placeholder-rates';
      else if (u < FAULT_RATES.placeholderRates + FAULT_RATES.missingOptionalFields) kind = 'missing-optional-fields';
      else if (
        row.group === 'pitching' &&
        u < FAULT_RATES.placeholderRates + FAULT_RATES.missingOptionalFields + FAULT_RATES.missingOuts
      )
        kind = 'missing-outs';
      if (kind) {
        row.fault = kind;
        record(row, kind);
      }
    }
    out.push(row);
    if (row.numTeams === null && row.fault !== 'missing-player-id' && rng.chance(FAULT_RATES.duplicate)) {
      // The copy is the very same object, so it renders byte-identical: a page-boundary duplicate.
      out.push(row);
      record(row, 'duplicate');
    }
  }
  // Refilled in place by a loop: splice(0, n, ...out) would pass every row as an argument.
  rows.length = 0;
  for (const row of out) rows.push(row);
}
