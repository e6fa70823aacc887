/**
 * Scouting exports of the sample universe, for the CSV import adapters: a FanGraphs-style board (FV and 20-80
 * present/future tool grades) and a Baseball America-style Top 100. Grades are noisy reads of hidden skill, so they
 * carry signal without giving the answer away.
 */
import { ROOKIE_LIMITS } from '../../lib/domain.ts';
import { createRng, hashString } from './prng.ts';
import { levelSpec } from './levels.ts';
import { projectedPeak, seasonAge, type SamplePlayer } from './players.ts';
import type { SampleUniverse } from './universe.ts';

export interface ProspectRead {
  player: SamplePlayer;
  orgAbbreviation: string;
  orgId: number;
  age: number;
  /** Scout's guess of peak skill (latent scale). */
  estimate: number;
  skill: number;
}

function csvCell(value: string | number): string {
  const s = String(value);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

/**
 * Rookie-eligible players in an organisation's system going into `season` (seen in the minors the season before, or
 * that season when the one before is not served), each with a scout's estimate drawn from its own seeded stream.
 */
export function prospectReads(universe: SampleUniverse, season: number, source: string): ProspectRead[] {
  const { fromSeason, seed } = universe.options;
  const seenIn = season - 1 >= fromSeason ? season - 1 : season;
  const teamOrg = new Map<number, { id: number; abbreviation: string }>();
  for (const org of universe.organizations)
    for (const t of org.bySport.values()) teamOrg.set(t.id, { id: org.id, abbreviation: org.team.abbreviation });
  const mlb = new Map<number, { ab: number; outs: number }>();
  const lastTeam = new Map<number, number>();
  for (const l of universe.lines) {
    if (l.sportId === 1 && l.season < season) {
      const m = mlb.get(l.playerId) ?? { ab: 0, outs: 0 };
      if (l.group === 'hitting') m.ab += l.stats.atBats;
      else m.outs += l.stats.outs;
      mlb.set(l.playerId, m);
    }
    if (l.season === seenIn && l.sportId !== 1 && l.teamId !== null) lastTeam.set(l.playerId, l.teamId);
  }
  const reads: ProspectRead[] = [];
  for (const [playerId, teamId] of lastTeam) {
    const player = universe.people.get(playerId);
    const org = teamOrg.get(teamId);
    const m = mlb.get(playerId);
    if (!player || !org || (m && (m.ab > ROOKIE_LIMITS.atBats || m.outs > ROOKIE_LIMITS.outs))) continue;
    const age = seasonAge(player, season);
    if (age > 27) continue;
    const skill = player.skillBySeason[seenIn] ?? player.skill;
    const rng = createRng(hashString(`${seed}:${source}:${season}:${playerId}`));
    const estimate = projectedPeak({ skill, dev: player.dev, born: player.born }, seenIn) + rng.normal(0, 0.45);
    reads.push({ player, orgAbbreviation: org.abbreviation, orgId: org.id, age, estimate, skill });
  }
  return reads.sort((a, b) => b.estimate - a.estimate || a.player.id - b.player.id);
}

/** 20-80 grade rounded to 5, from a z-score (0 = 50, one sd = 10). */
function grade(z: number): number {
  return Math.min(80, Math.max(20, Math.round((50 + 10 * z) / 5) * 5));
}

function futureValue(estimate: number): string {
  const raw = 40 + (estimate - 4.1) * 16;
  const steps = Math.round(raw / 2.5) * 2.5;
  const clamped = Math.min(80, Math.max(35, steps));
  return Number.isInteger(clamped / 5) ? String(clamped) : `${Math.floor(clamped / 5) * 5}+`;
}

/** FanGraphs' own player id style (minor leaguers: "sa" + digits), not the MLBAM id: importers must match players. */
export function fangraphsId(playerId: number): string {
  return `sa${String((playerId * 7919) % 999983).padStart(6, '0')}`;
}

/** The columns of a FanGraphs board export, in its order: the header `npm run import:grades` binds by default. */
export const FANGRAPHS_HEADER = [
  'Name',
  'Org',
  'Pos',
  'Age',
  'FV',
  'ETA',
  'Hit',
  'Game',
  'Raw',
  'Spd',
  'Fld',
  'Arm',
  'FB',
  'SL',
  'CB',
  'CH',
  'CMD',
  'PlayerId',
] as const;

/** FanGraphs-style board for `season`: Name, Org, Pos, Age, FV, ETA, tool grades "present/future", PlayerId. */
export function fangraphsGradesCsv(universe: SampleUniverse, season: number): string {
  const perOrg = Math.max(5, Math.round(40 * universe.options.scale));
  const counts = new Map<number, number>();
  const rows: (string | number)[][] = [];
  for (const r of prospectReads(universe, season, 'fangraphs')) {
    const n = counts.get(r.orgId) ?? 0;
    if (n >= perOrg) continue;
    counts.set(r.orgId, n + 1);
    const p = r.player;
    const rng = createRng(hashString(`${universe.options.seed}:fg-tools:${season}:${p.id}`));
    const talent = (r.estimate - 3.6) / 0.8;
    const growth = Math.max(0, 27 - r.age) * 0.25;
    const tool = (z: number): string => {
      const future = grade(0.5 * talent + z + rng.normal(0, 0.4));
      return `${Math.min(future, grade(0.5 * talent + z - growth + rng.normal(0, 0.3)))}/${future}`;
    };
    const pr = p.profile;
    const eta = season + Math.min(6, Math.max(0, Math.ceil((levelSpec(1).difficulty - r.skill) / 0.55)));
    const hitter = p.position !== 'P';
    const arm = ['SS', 'C', 'RF', '3B'].includes(p.position) ? 0.4 : 0;
    rows.push([
      p.fullName,
      r.orgAbbreviation,
      hitter ? p.position : p.role === 'SP' ? 'SP' : 'RP',
      r.age.toFixed(1),
      futureValue(r.estimate),
      eta,
      hitter ? tool(0.6 * pr.con - 0.5 * pr.k) : '',
      hitter ? tool(0.5 * pr.pow + 0.3 * pr.con) : '',
      hitter ? tool(0.8 * pr.pow) : '',
      hitter ? tool(0.8 * pr.spd - growth * 0.3) : '',
      hitter ? tool(rng.normal(0, 0.6)) : '',
      hitter ? tool(arm + rng.normal(0, 0.6)) : '',
      hitter ? '' : tool(0.5 * pr.k + 0.2),
      hitter ? '' : tool(0.4 * pr.k),
      hitter ? '' : tool(0.3 * pr.k - 0.2),
      hitter ? '' : tool(0.2 * pr.k - 0.1 * pr.pow),
      hitter ? '' : tool(-0.7 * pr.bb),
      fangraphsId(p.id),
    ]);
  }
  return toCsv(FANGRAPHS_HEADER, rows);
}

/** Baseball America-style Top 100 for `season` (Top round(100 x scale), at least 10): Rank, Player, Org, Pos, Year. */
export function baseballAmericaTop100Csv(universe: SampleUniverse, season: number): string {
  const size = Math.max(10, Math.round(100 * universe.options.scale));
  // Baseball America leans a little further toward players close to the majors than a pure peak guess would.
  const ranked = prospectReads(universe, season, 'baseball-america')
    .map((r) => ({ r, score: r.estimate + 0.15 * r.skill }))
    .sort((a, b) => b.score - a.score || a.r.player.id - b.r.player.id)
    .slice(0, size);
  const pos = (p: SamplePlayer): string => (p.position !== 'P' ? p.position : p.throws === 'L' ? 'LHP' : 'RHP');
  const rows = ranked.map(({ r }, i) => [i + 1, r.player.fullName, r.orgAbbreviation, pos(r.player), season]);
  return toCsv(['Rank', 'Player', 'Org', 'Pos', 'Year'], rows);
}
