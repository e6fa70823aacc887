/**
 * Reads one split's counting stats into HittingCounts or PitchingCounts, or says precisely why it cannot.
 * Rates in the split are ignored: they are strings with placeholders ("-.--", ".---") and are recomputed downstream.
 *
 * Missing fields: the API always sends the core counts, so a missing one means a broken row and the row is rejected.
 * Fields that older or partial rows omit (intentional walks, sac flies, caught stealing, hit by pitch, games started,
 * earned runs, games, doubles, triples) default to 0. Innings come from `outs`; without it, from "166.2" notation.
 */
import type { HittingCounts, PitchingCounts, StatGroup } from '../../lib/domain.ts';

export type CountsResult<T> = { ok: true; counts: T } | { ok: false; reason: string };

type Stat = Record<string, unknown>;

class Invalid extends Error {}

function read(stat: Stat, names: readonly string[], required: boolean): number {
  for (const name of names) {
    const v = stat[name];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isInteger(v))
      throw new Invalid(`${name} is not an integer: ${JSON.stringify(v)}`);
    if (v < 0) throw new Invalid(`negative ${name} (${v})`);
    return v;
  }
  if (required) throw new Invalid(`missing ${names[0]}`);
  return 0;
}

/** "166.2" → 500 outs; the digit after the point counts outs (0-2), not tenths. */
export function outsFromInnings(value: unknown): number | null {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value * 3;
  if (typeof value !== 'string') return null;
  const m = /^(\d+)(?:\.([012]))?$/.exec(value.trim());
  if (!m) return null;
  return Number(m[1]) * 3 + Number(m[2] ?? 0);
}

function hitting(stat: Stat): HittingCounts {
  const c: HittingCounts = {
    games: read(stat, ['gamesPlayed'], false),
    plateAppearances: read(stat, ['plateAppearances'], true),
    atBats: read(stat, ['atBats'], true),
    hits: read(stat, ['hits'], true),
    doubles: read(stat, ['doubles'], false),
    triples: read(stat, ['triples'], false),
    homeRuns: read(stat, ['homeRuns'], true),
    baseOnBalls: read(stat, ['baseOnBalls'], true),
    intentionalWalks: read(stat, ['intentionalWalks'], false),
    hitByPitch: read(stat, ['hitByPitch'], false),
    strikeOuts: read(stat, ['strikeOuts'], true),
    stolenBases: read(stat, ['stolenBases'], false),
    caughtStealing: read(stat, ['caughtStealing'], false),
    sacFlies: read(stat, ['sacFlies'], false),
  };
  if (c.hits > c.atBats) throw new Invalid(`hits (${c.hits}) exceed atBats (${c.atBats})`);
  if (c.strikeOuts > c.atBats) throw new Invalid(`strikeOuts (${c.strikeOuts}) exceed atBats (${c.atBats})`);
  if (c.atBats > c.plateAppearances)
    throw new Invalid(`atBats (${c.atBats}) exceed plateAppearances (${c.plateAppearances})`);
  const xbh = c.doubles + c.triples + c.homeRuns;
  if (xbh > c.hits) throw new Invalid(`doubles + triples + homeRuns (${xbh}) exceed hits (${c.hits})`);
  if (c.intentionalWalks > c.baseOnBalls)
    throw new Invalid(`intentionalWalks (${c.intentionalWalks}) exceed baseOnBalls (${c.baseOnBalls})`);
  const accounted = c.atBats + c.baseOnBalls + c.hitByPitch + c.sacFlies;
  if (accounted > c.plateAppearances) {
    throw new Invalid(
      `atBats + baseOnBalls + hitByPitch + sacFlies (${accounted}) exceed plateAppearances (${c.plateAppearances})`,
    );
  }
  return c;
}

function pitching(stat: Stat): PitchingCounts {
  let outs: number;
  if (stat.outs !== undefined && stat.outs !== null) {
    outs = read(stat, ['outs'], true);
  } else {
    const fromInnings = outsFromInnings(stat.inningsPitched);
    if (fromInnings === null) {
      throw new Invalid(
        stat.inningsPitched === undefined
          ? 'missing outs and inningsPitched'
          : `unreadable inningsPitched ${JSON.stringify(stat.inningsPitched)}`,
      );
    }
    outs = fromInnings;
  }
  const c: PitchingCounts = {
    games: read(stat, ['gamesPitched', 'gamesPlayed'], false),
    gamesStarted: read(stat, ['gamesStarted'], false),
    outs,
    battersFaced: read(stat, ['battersFaced'], true),
    hits: read(stat, ['hits'], true),
    homeRuns: read(stat, ['homeRuns'], true),
    baseOnBalls: read(stat, ['baseOnBalls'], true),
    hitByPitch: read(stat, ['hitByPitch', 'hitBatsmen'], false),
    strikeOuts: read(stat, ['strikeOuts'], true),
    earnedRuns: read(stat, ['earnedRuns'], false),
  };
  if (c.homeRuns > c.hits) throw new Invalid(`homeRuns (${c.homeRuns}) exceed hits (${c.hits})`);
  const ended = c.hits + c.baseOnBalls + c.hitByPitch + c.strikeOuts;
  if (ended > c.battersFaced) {
    throw new Invalid(
      `hits + baseOnBalls + hitByPitch + strikeOuts (${ended}) exceed battersFaced (${c.battersFaced})`,
    );
  }
  if (c.gamesStarted > c.games && c.games > 0)
    throw new Invalid(`gamesStarted (${c.gamesStarted}) exceed games (${c.games})`);
  return c;
}

export function readCounts(stat: unknown, group: 'hitting'): CountsResult<HittingCounts>;
export function readCounts(stat: unknown, group: 'pitching'): CountsResult<PitchingCounts>;
export function readCounts(stat: unknown, group: StatGroup): CountsResult<HittingCounts | PitchingCounts>;
export function readCounts(stat: unknown, group: StatGroup): CountsResult<HittingCounts | PitchingCounts> {
  if (stat === null || typeof stat !== 'object' || Array.isArray(stat))
    return { ok: false, reason: 'missing stat object' };
  try {
    return { ok: true, counts: group === 'hitting' ? hitting(stat as Stat) : pitching(stat as Stat) };
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, reason: err.message };
    throw err;
  }
}
