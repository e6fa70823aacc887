/**
 * Opening-day rosters: each organisation ranks its players and fills its levels from MLB down, within how far a
 * player may move in one winter; whoever finds no spot is released, and empty spots go to free agents or new signings.
 */
import type { StatGroup } from '../../lib/domain.ts';
import { capacity, groupOf, type SimContext } from './context.ts';
import { signFiller } from './draft.ts';
import { ladder, levelSpec, nearestRung } from './levels.ts';
import type { SampleOrganization } from './organizations.ts';
import { seasonAge, type SamplePlayer } from './players.ts';
import type { Rng } from './prng.ts';

/** Where each placed player starts the season: playerId → sportId. */
export type Placements = Map<number, number>;

interface Window {
  min: number;
  max: number;
}

/** Rungs (indexes into the season's ladder) a player may be assigned to this season. */
function moveWindow(player: SamplePlayer, season: number, rungs: readonly number[], extraDrop: number): Window {
  const top = rungs.length - 1;
  if (player.lastSportId === null) return { min: 0, max: 0 };
  const last = nearestRung(season, player.lastSportId);
  const min = last === top ? top - 1 - extraDrop : Math.max(0, last - 1 - extraDrop);
  // Clubs move a player up one full level a winter at most; the short-season rungs are half steps, so two of them count as one.
  const reach = levelSpec(player.lastSportId).difficulty + 0.95;
  let max = Math.min(top, last + 1);
  while (max < top && levelSpec(rungs[max + 1] ?? 1).difficulty <= reach) max += 1;
  // Double-A to the majors is the one full-level skip clubs make routinely.
  if (player.lastSportId === 12) max = top;
  return { min, max };
}

/** Clubs do not keep men past a level's age ceiling there (a 28-year-old in High-A is released, not assigned). */
function fits(player: SamplePlayer, season: number, sportId: number): boolean {
  return seasonAge(player, season) <= levelSpec(sportId).maxAge;
}

/** How a club ranks players for its major-league roster: ability now and incumbency, whatever the age. */
function mlbScore(player: SamplePlayer, rng: Rng): number {
  const incumbent = player.lastSportId === 1 ? 0.15 : 0;
  return player.skill + 0.5 * player.form + incumbent + rng.normal(0, 0.3);
}

/** How a club ranks players for minor-league assignments: ability, youth and draft pedigree. */
function rankScore(player: SamplePlayer, season: number, rng: Rng): number {
  const age = seasonAge(player, season);
  const youth = Math.min(0.4, Math.max(-0.5, (24 - age) * 0.09));
  const young = age < 26;
  const pedigree =
    young && player.draftRound !== null ? (player.draftRound <= 2 ? 0.25 : player.draftRound <= 5 ? 0.1 : 0) : 0;
  return player.skill + 0.5 * player.form + youth + pedigree + rng.normal(0, 0.3);
}

function placeOrgGroup(
  ctx: SimContext,
  rng: Rng,
  org: SampleOrganization,
  group: StatGroup,
  season: number,
  roster: SamplePlayer[],
  freeAgents: SamplePlayer[],
  out: Placements,
): void {
  const rungs = ladder(season);
  const scored = roster.map((p) => ({
    p,
    score: rankScore(p, season, rng),
    mlb: mlbScore(p, rng),
    w: moveWindow(p, season, rungs, 0),
  }));
  scored.sort((a, b) => b.score - a.score || a.p.id - b.p.id);
  const byMlb = [...scored].sort((a, b) => b.mlb - a.mlb || a.p.id - b.p.id);
  const vacancies: number[] = rungs.map((sportId) => capacity(ctx, org, season, sportId, group));
  for (let r = rungs.length - 1; r >= 0; r--) {
    const sportId = rungs[r] ?? 16;
    // MLB and Triple-A rosters are about winning now and depth for the majors: ability and incumbency, not youth.
    for (const s of r >= rungs.length - 2 ? byMlb : scored) {
      if ((vacancies[r] ?? 0) <= 0) break;
      if (out.has(s.p.id) || r > s.w.max || r < s.w.min || !fits(s.p, season, sportId)) continue;
      out.set(s.p.id, sportId);
      vacancies[r] = (vacancies[r] ?? 0) - 1;
    }
  }
  for (const s of scored) {
    if (out.has(s.p.id)) continue;
    const protectedYoung = season - s.p.firstSeason <= 1 && seasonAge(s.p, season) < 24;
    if (protectedYoung) {
      // Young signees repeat their level rather than being cut after one summer.
      const last = s.p.lastSportId === null ? 0 : nearestRung(season, s.p.lastSportId);
      out.set(s.p.id, rungs[Math.min(s.w.max, Math.max(s.w.min, last))] ?? 16);
    } else {
      s.p.status = 'free';
      s.p.orgId = null;
      s.p.idleSeasons = 0;
    }
  }
  // Empty spots: the best free agent who may play there, else (low levels only) a new signing.
  for (let r = rungs.length - 1; r >= 0; r--) {
    const sportId = rungs[r] ?? 16;
    while ((vacancies[r] ?? 0) > 0) {
      const fa = freeAgents.find((p) => {
        if (p.status !== 'free') return false;
        const w = moveWindow(p, season, rungs, 1);
        return r <= w.max && r >= w.min && fits(p, season, sportId);
      });
      if (fa) {
        fa.status = 'active';
        fa.orgId = org.id;
        out.set(fa.id, sportId);
      } else if (levelSpec(sportId).difficulty <= 1.3) {
        const filler = signFiller(ctx, rng, season, org.id, group === 'pitching', sportId);
        out.set(filler.id, sportId);
      }
      vacancies[r] = (vacancies[r] ?? 0) - 1;
    }
  }
}

/** Entry level of a draftee in his draft year: complex league for high-schoolers, short-season or A for college men. */
export function draftEntryLevel(player: SamplePlayer, season: number, rng: Rng): number {
  const age = seasonAge(player, season);
  if (age < 20) return 16;
  if (season >= 2021) return rng.chance(0.6) ? 14 : 16;
  if ((player.draftRound ?? 99) <= 3 && rng.chance(0.3)) return 14;
  return rng.chance(0.75) ? 15 : 5442;
}

/**
 * Places every organisation's players for `season`. This year's draftees are placed at their entry level on top of
 * the rosters, since short-season clubs are built around them.
 */
export function placeSeason(ctx: SimContext, season: number, draftees: readonly SamplePlayer[]): Placements {
  const rng = ctx.rng.fork(`placement-${season}`);
  const placements: Placements = new Map();
  const drafteeIds = new Set(draftees.map((p) => p.id));
  const rosters = new Map<string, SamplePlayer[]>();
  const free: Record<StatGroup, SamplePlayer[]> = { hitting: [], pitching: [] };
  for (const p of ctx.players.values()) {
    if (p.status === 'free') free[groupOf(p)].push(p);
    if (p.status !== 'active' || p.orgId === null || p.firstSeason > season || drafteeIds.has(p.id)) continue;
    const key = `${p.orgId}:${groupOf(p)}`;
    const list = rosters.get(key);
    if (list) list.push(p);
    else rosters.set(key, [p]);
  }
  const appeal = (p: SamplePlayer): number => rankScore(p, season, rng);
  for (const list of [free.hitting, free.pitching]) {
    const scores = new Map(list.map((p) => [p.id, appeal(p)]));
    list.sort((a, b) => (scores.get(b.id) ?? 0) - (scores.get(a.id) ?? 0) || a.id - b.id);
  }
  const order = ctx.orgs.map((o) => o);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const a = order[i];
    const b = order[j];
    if (a && b) {
      order[i] = b;
      order[j] = a;
    }
  }
  for (const org of order) {
    for (const group of ['hitting', 'pitching'] as const) {
      placeOrgGroup(ctx, rng, org, group, season, rosters.get(`${org.id}:${group}`) ?? [], free[group], placements);
    }
  }
  for (const p of draftees) {
    const sportId = draftEntryLevel(p, season, rng);
    placements.set(p.id, sportId);
    p.lastSportId = sportId;
  }
  return placements;
}
