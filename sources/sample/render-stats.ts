/**
 * Renders served stat rows as Stats API splits: the real field names and order, string rates with the API's
 * placeholders, baseball-notation innings, and the per-row faults. Everything is derived from counts, so it is
 * deterministic without a random generator.
 */
import type { HittingCounts, PitchingCounts } from '../../lib/domain.ts';
import { levelSpec } from './levels.ts';
import { sacBunts } from './lines.ts';
import type { SampleTeam } from './organizations.ts';
import type { SamplePlayer } from './players.ts';
import type { StatRow } from './rows.ts';
import { positionJson } from './render-people.ts';

/** ".242" style: three decimals, no leading zero below 1; the API's placeholder when the denominator is zero. */
export function rate3(num: number, den: number, placeholder = '.---'): string {
  if (den <= 0) return placeholder;
  const s = (num / den).toFixed(3);
  return s.startsWith('0.') ? s.slice(1) : s;
}

export function rate2(num: number, den: number, placeholder = '-.--'): string {
  return den <= 0 ? placeholder : (num / den).toFixed(2);
}

/** Baseball notation: 500 outs → "166.2". */
export function inningsNotation(outs: number): string {
  return `${Math.trunc(outs / 3)}.${Math.abs(outs % 3)}`;
}

function hittingStat(c: HittingCounts, row: StatRow): Record<string, number | string> {
  const inPlayOuts = Math.max(0, c.atBats - c.hits - c.strikeOuts);
  const groundOuts = Math.round(inPlayOuts * 0.45);
  const airOuts = inPlayOuts - groundOuts;
  const totalBases = c.hits + c.doubles + 2 * c.triples + 3 * c.homeRuns;
  const obpDen = c.atBats + c.baseOnBalls + c.hitByPitch + c.sacFlies;
  const obp = obpDen > 0 ? (c.hits + c.baseOnBalls + c.hitByPitch) / obpDen : 0;
  const slg = c.atBats > 0 ? totalBases / c.atBats : 0;
  const p = row.fault === 'placeholder-rates';
  const stat: Record<string, number | string> = {
    gamesPlayed: c.games,
    groundOuts,
    airOuts,
    runs: Math.round(c.plateAppearances * 0.11 + c.homeRuns * 0.5),
    doubles: c.doubles,
    triples: c.triples,
    homeRuns: c.homeRuns,
    strikeOuts: c.strikeOuts,
    baseOnBalls: c.baseOnBalls,
    intentionalWalks: c.intentionalWalks,
    hits: c.hits,
    hitByPitch: c.hitByPitch,
    avg: p ? '.---' : rate3(c.hits, c.atBats),
    atBats: c.atBats,
    obp: p ? '.---' : rate3(obp, obpDen > 0 ? 1 : 0),
    slg: p ? '.---' : rate3(slg, c.atBats > 0 ? 1 : 0),
    ops: p ? '.---' : rate3(obp + slg, obpDen > 0 ? 1 : 0),
    caughtStealing: c.caughtStealing,
    stolenBases: c.stolenBases,
    stolenBasePercentage: p ? '.---' : rate3(c.stolenBases, c.stolenBases + c.caughtStealing),
    groundIntoDoublePlay: Math.round(c.plateAppearances * 0.018),
    numberOfPitches: Math.round(c.plateAppearances * 3.87),
    plateAppearances: c.plateAppearances,
    totalBases,
    rbi: Math.round(c.plateAppearances * 0.1 + c.homeRuns * 0.9),
    leftOnBase: Math.round(c.plateAppearances * 0.37),
    sacBunts: sacBunts(c),
    sacFlies: c.sacFlies,
    babip: p ? '.---' : rate3(c.hits - c.homeRuns, c.atBats - c.strikeOuts - c.homeRuns + c.sacFlies),
    groundOutsToAirouts: p ? '-.--' : rate2(groundOuts, airOuts, '*.**'),
    catchersInterference: 0,
    atBatsPerHomeRun: p ? '-.--' : rate2(c.atBats, c.homeRuns),
  };
  if (row.fault === 'missing-optional-fields') {
    delete stat.intentionalWalks;
    delete stat.sacFlies;
    delete stat.caughtStealing;
  }
  return stat;
}

function pitchingStat(c: PitchingCounts, row: StatRow): Record<string, number | string> {
  const relief = c.games - c.gamesStarted;
  const sacFlies = Math.round(c.battersFaced * 0.008);
  const atBats = Math.max(0, c.battersFaced - c.baseOnBalls - c.hitByPitch - sacFlies);
  const doubles = Math.round((c.hits - c.homeRuns) * 0.2);
  const triples = Math.round((c.hits - c.homeRuns) * 0.02);
  const inPlayOuts = Math.max(0, atBats - c.hits - c.strikeOuts);
  const groundOuts = Math.round(inPlayOuts * 0.45);
  const airOuts = inPlayOuts - groundOuts;
  const wins = Math.round(c.gamesStarted * 0.34 + relief * 0.05);
  const losses = Math.round(c.gamesStarted * 0.3 + relief * 0.04);
  const saves = c.gamesStarted === 0 ? Math.round(relief * 0.08) : 0;
  const pitches = Math.round(c.battersFaced * 3.85);
  const totalBases = c.hits + doubles + 2 * triples + 3 * c.homeRuns;
  const p = row.fault === 'placeholder-rates';
  const outs = c.outs;
  const ip = outs / 3;
  const obpDen = atBats + c.baseOnBalls + c.hitByPitch + sacFlies;
  const obp = obpDen > 0 ? (c.hits + c.baseOnBalls + c.hitByPitch) / obpDen : 0;
  const slg = atBats > 0 ? totalBases / atBats : 0;
  const stat: Record<string, number | string> = {
    gamesPlayed: c.games,
    gamesStarted: c.gamesStarted,
    groundOuts,
    airOuts,
    runs: c.earnedRuns + Math.round(c.earnedRuns * 0.08),
    doubles,
    triples,
    homeRuns: c.homeRuns,
    strikeOuts: c.strikeOuts,
    baseOnBalls: c.baseOnBalls,
    intentionalWalks: Math.round(c.baseOnBalls * 0.04),
    hits: c.hits,
    hitByPitch: c.hitByPitch,
    avg: p ? '.---' : rate3(c.hits, atBats),
    atBats,
    obp: p ? '.---' : rate3(obp, obpDen > 0 ? 1 : 0),
    slg: p ? '.---' : rate3(slg, atBats > 0 ? 1 : 0),
    ops: p ? '.---' : rate3(obp + slg, obpDen > 0 ? 1 : 0),
    caughtStealing: Math.round(c.battersFaced * 0.004),
    stolenBases: Math.round(c.battersFaced * 0.012),
    stolenBasePercentage: p ? '.---' : rate3(Math.round(c.battersFaced * 0.012), Math.round(c.battersFaced * 0.016)),
    groundIntoDoublePlay: Math.round(c.battersFaced * 0.02),
    numberOfPitches: pitches,
    era: p ? '-.--' : rate2(c.earnedRuns * 9, ip),
    inningsPitched: inningsNotation(outs),
    wins,
    losses,
    saves,
    saveOpportunities: saves + Math.round(saves * 0.25),
    holds: c.gamesStarted === 0 ? Math.round(relief * 0.1) : 0,
    blownSaves: Math.round(saves * 0.25),
    earnedRuns: c.earnedRuns,
    whip: p ? '-.--' : rate2(c.baseOnBalls + c.hits, ip),
    battersFaced: c.battersFaced,
    outs,
    gamesPitched: c.games,
    completeGames: Math.round(c.gamesStarted * 0.02),
    shutouts: Math.round(c.gamesStarted * 0.01),
    strikes: Math.round(pitches * 0.63),
    strikePercentage: p ? '.---' : rate3(Math.round(pitches * 0.63), pitches),
    hitBatsmen: c.hitByPitch,
    balks: 0,
    wildPitches: Math.round(c.battersFaced * 0.01),
    pickoffs: 0,
    totalBases,
    groundOutsToAirouts: p ? '-.--' : rate2(groundOuts, airOuts, '*.**'),
    winPercentage: p ? '.---' : rate3(wins, wins + losses),
    pitchesPerInning: p ? '-.--' : rate2(pitches, ip),
    gamesFinished: c.gamesStarted === 0 ? Math.round(relief * 0.25) : 0,
    strikeoutWalkRatio: p ? '-.--' : rate2(c.strikeOuts, c.baseOnBalls),
    strikeoutsPer9Inn: p ? '-.--' : rate2(c.strikeOuts * 9, ip),
    walksPer9Inn: p ? '-.--' : rate2(c.baseOnBalls * 9, ip),
    hitsPer9Inn: p ? '-.--' : rate2(c.hits * 9, ip),
    runsScoredPer9: p ? '-.--' : rate2((c.earnedRuns + Math.round(c.earnedRuns * 0.08)) * 9, ip),
    homeRunsPer9: p ? '-.--' : rate2(c.homeRuns * 9, ip),
    inheritedRunners: c.gamesStarted === 0 ? Math.round(relief * 0.4) : 0,
    inheritedRunnersScored: c.gamesStarted === 0 ? Math.round(relief * 0.12) : 0,
    catchersInterference: 0,
    sacBunts: Math.round(c.battersFaced * 0.004),
    sacFlies,
  };
  if (row.fault === 'missing-optional-fields') {
    delete stat.hitByPitch;
    delete stat.hitBatsmen;
    delete stat.gamesStarted;
  }
  if (row.fault === 'missing-outs') delete stat.outs;
  return stat;
}

export interface SplitContext {
  player: SamplePlayer | undefined;
  team: SampleTeam | undefined;
  /** Season with the drifted shape (numeric season, `person` for `player`). */
  drifted: boolean;
}

/** One split of /stats?stats=season, in the field order the real API uses. */
export function renderSplit(row: StatRow, ctx: SplitContext): Record<string, unknown> {
  const stat =
    row.group === 'hitting'
      ? hittingStat(row.stats as HittingCounts, row)
      : pitchingStat(row.stats as PitchingCounts, row);
  const sport = levelSpec(row.sportId);
  const player: Record<string, unknown> =
    row.fault === 'missing-player-id'
      ? { fullName: ctx.player?.fullName ?? 'Unknown Player' }
      : {
          id: row.playerId,
          fullName: ctx.player?.fullName ?? `Player ${row.playerId}`,
          link: `/api/v1/people/${row.playerId}`,
        };
  const split: Record<string, unknown> = { season: ctx.drifted ? row.season : String(row.season), stat };
  if (row.teamId !== null && ctx.team) {
    split.team = { id: ctx.team.id, name: ctx.team.name, link: `/api/v1/teams/${ctx.team.id}` };
  }
  split[ctx.drifted ? 'person' : 'player'] = player;
  if (row.teamId !== null && ctx.team && row.fault !== 'missing-optional-fields') {
    const league = ctx.team.league;
    split.league = { id: league.id, name: league.name, link: `/api/v1/league/${league.id}` };
  }
  split.sport = { id: row.sportId, link: `/api/v1/sports/${row.sportId}`, abbreviation: sport.abbreviation };
  split.gameType = 'R';
  if (row.numTeams !== null) split.numTeams = row.numTeams;
  if (ctx.player) split.position = positionJson(ctx.player.position);
  return split;
}
