/**
 * Plays one season from opening-day placements: playing time, mid-season promotions, call-ups, trades, rehab
 * assignments, and the counting stats of every stint.
 */
import { groupOf, seasonHasMinors, type SimContext, type Stint } from './context.ts';
import { ladder, levelSpec, type LevelSpec } from './levels.ts';
import { hittingLine, pitchingLine } from './lines.ts';
import { affiliate } from './organizations.ts';
import type { Placements } from './placement.ts';
import type { SamplePlayer } from './players.ts';
import type { Rng } from './prng.ts';

/** A planned stint before its stats exist: share of a full season at a level. */
interface Plan {
  player: SamplePlayer;
  sportId: number;
  orgId: number;
  /** Plate appearances (hitters) or batters faced (pitchers). */
  volume: number;
  kind: Stint['kind'];
}

const MLB = 1;

function shareOfSeason(q: number, rng: Rng): number {
  const injured = rng.chance(0.15) ? 0.2 + 0.5 * rng.next() : 1;
  return (0.3 + 0.7 * q ** 0.5) * injured * (0.9 + 0.2 * rng.next());
}

/** Plate appearances, or batters faced, of a whole season at a level for a player at percentile q of his level. */
function fullVolume(player: SamplePlayer, spec: LevelSpec, q: number, rng: Rng): number {
  const share = shareOfSeason(q, rng);
  if (player.position !== 'P') return spec.fullSeasonPa * share;
  const innings = player.role === 'SP' ? spec.fullSeasonStarterIp : spec.fullSeasonRelieverIp;
  return innings * 4.3 * share;
}

/** Percentile of each player within his level by skill and form (the better, the more he plays). */
function percentiles(players: readonly SamplePlayer[], rng: Rng): Map<number, number> {
  const scored = players.map((p) => ({ id: p.id, s: p.skill + p.form + rng.normal(0, 0.3) }));
  scored.sort((a, b) => a.s - b.s || a.id - b.id);
  const n = Math.max(1, scored.length - 1);
  return new Map(scored.map((x, i) => [x.id, scored.length === 1 ? 0.5 : i / n]));
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export function playSeason(
  ctx: SimContext,
  season: number,
  placements: Placements,
  draftees: ReadonlySet<number>,
): void {
  const rng = ctx.rng.fork(`season-${season}`);
  const minors = seasonHasMinors(ctx, season);
  const rungs = ladder(season);
  const byLevel = new Map<string, SamplePlayer[]>();
  for (const [id, sportId] of placements) {
    const p = ctx.players.get(id);
    if (!p) continue;
    p.skillBySeason[season] = p.skill;
    p.form = rng.normal(0, 0.25);
    const key = `${sportId}:${groupOf(p)}`;
    const list = byLevel.get(key);
    if (list) list.push(p);
    else byLevel.set(key, [p]);
  }
  const plans: Plan[] = [];
  const mlbShare = ctx.covid2020 && season === 2020 ? 60 / 162 : 1;
  if (!minors) {
    // No games below MLB: the winter's assignment still counts as where he stands next spring.
    for (const [id, sportId] of placements) {
      const p = ctx.players.get(id);
      if (p && sportId !== MLB) p.lastSportId = sportId;
    }
  }
  for (const [key, players] of byLevel) {
    const sportId = Number(key.split(':')[0]);
    if (sportId !== MLB && !minors) continue;
    const spec = levelSpec(sportId);
    const q = percentiles(players, rng);
    for (const p of players) {
      const orgId = p.orgId;
      if (orgId === null) continue;
      let volume = fullVolume(p, spec, q.get(p.id) ?? 0.5, rng) * (sportId === MLB ? mlbShare : 1);
      if (draftees.has(p.id)) volume *= 0.25 + 0.6 * rng.next();
      const rung = rungs.indexOf(sportId);
      const next = rungs[rung + 1];
      // Mid-season promotion within the minors, more likely the more he outplays the next level's demands.
      if (sportId !== MLB && next !== undefined && next !== MLB) {
        const nextSpec = levelSpec(next);
        const pPromote =
          0.6 * sigmoid((p.skill + p.form - nextSpec.difficulty + 0.15) / 0.3) * (draftees.has(p.id) ? 0.5 : 1);
        if (rng.chance(pPromote)) {
          const f = 0.35 + 0.4 * rng.next();
          plans.push({
            player: p,
            sportId,
            orgId,
            volume: volume * f,
            kind: draftees.has(p.id) ? 'draftee' : 'regular',
          });
          plans.push({
            player: p,
            sportId: next,
            orgId,
            volume: fullVolume(p, nextSpec, 0.4, rng) * (1 - f),
            kind: 'regular',
          });
          continue;
        }
      }
      plans.push({ player: p, sportId, orgId, volume, kind: draftees.has(p.id) ? 'draftee' : 'regular' });
    }
  }
  if (minors) addCallups(ctx, rng, season, plans, placements);
  emitStints(ctx, rng, season, plans, minors);
}

/** Call-ups: each club brings up its best Triple-A and Double-A players for part of the season. */
function addCallups(ctx: SimContext, rng: Rng, season: number, plans: Plan[], placements: Placements): void {
  const mlb = levelSpec(MLB);
  const calledUp = new Set<number>();
  for (const org of ctx.orgs) {
    for (const pitcher of [false, true]) {
      const roster = pitcher ? mlb.rosterPitchers : mlb.rosterHitters;
      const per = roster * ctx.scale * 0.6;
      let slots = Math.floor((org.index + 1) * per) - Math.floor(org.index * per);
      const candidates = plans
        .filter(
          (pl) =>
            pl.orgId === org.id &&
            (pl.sportId === 11 || pl.sportId === 12) &&
            pl.kind === 'regular' &&
            (pl.player.position === 'P') === pitcher &&
            placements.get(pl.player.id) !== MLB,
        )
        .sort((a, b) => b.player.skill + b.player.form - (a.player.skill + a.player.form) || a.player.id - b.player.id);
      for (const plan of candidates) {
        if (slots <= 0) break;
        if (plan.player.skill + plan.player.form < mlb.difficulty - 0.9) break;
        if (calledUp.has(plan.player.id)) continue;
        calledUp.add(plan.player.id);
        const cut = 0.1 + 0.3 * rng.next();
        plan.volume *= 1 - cut;
        const volume = pitcher ? (4 + 40 * rng.next()) * 4.3 : 15 + 150 * rng.next();
        plans.push({ player: plan.player, sportId: MLB, orgId: org.id, volume, kind: 'callup' });
        slots -= 1;
      }
    }
  }
}

function emitStints(ctx: SimContext, rng: Rng, season: number, plans: readonly Plan[], minors: boolean): void {
  const gapSums = new Map<string, { sum: number; n: number }>();
  for (const pl of plans) {
    const key = `${pl.sportId}:${groupOf(pl.player)}`;
    const g = gapSums.get(key) ?? { sum: 0, n: 0 };
    // Weighted by playing time, so the players who qualify for rate leaderboards average the level's means.
    g.sum += (pl.player.skill + pl.player.form - levelSpec(pl.sportId).difficulty) * pl.volume;
    g.n += pl.volume;
    gapSums.set(key, g);
  }
  const highest = new Map<number, number>();
  const expanded: Plan[] = [];
  for (const pl of plans) {
    const traded = pl.kind === 'regular' && pl.volume > 40 && rng.chance(pl.sportId === MLB ? 0.04 : 0.025);
    if (traded) {
      const other =
        ctx.orgs[((ctx.orgById.get(pl.orgId)?.index ?? 0) + rng.int(1, ctx.orgs.length - 1)) % ctx.orgs.length];
      const f = 0.3 + 0.4 * rng.next();
      expanded.push({ ...pl, volume: pl.volume * f });
      if (other && other.id !== pl.orgId) {
        expanded.push({ ...pl, orgId: other.id, volume: pl.volume * (1 - f) });
        pl.player.orgId = other.id;
      }
    } else {
      expanded.push(pl);
    }
    if (pl.sportId === MLB && pl.kind === 'regular' && minors && rng.chance(0.05)) {
      const level = rng.chance(0.7) ? 11 : 16;
      expanded.push({ player: pl.player, sportId: level, orgId: pl.orgId, volume: 8 + 35 * rng.next(), kind: 'rehab' });
    }
  }
  for (const pl of expanded) {
    const p = pl.player;
    const spec = levelSpec(pl.sportId);
    const g = gapSums.get(`${pl.sportId}:${groupOf(p)}`);
    const gap = pl.kind === 'rehab' ? 0.5 : p.skill + p.form - spec.difficulty - (g ? g.sum / g.n : 0);
    const org = ctx.orgById.get(pl.orgId);
    if (!org) continue;
    const teamId = affiliate(org, pl.sportId).id;
    const volume = Math.max(1, Math.round(pl.volume));
    const stint: Stint =
      p.position === 'P'
        ? {
            playerId: p.id,
            season,
            sportId: pl.sportId,
            teamId,
            kind: pl.kind,
            group: 'pitching',
            stats: pitchingLine(rng, spec, p.profile, gap, volume, p.role ?? 'RP'),
          }
        : {
            playerId: p.id,
            season,
            sportId: pl.sportId,
            teamId,
            kind: pl.kind,
            group: 'hitting',
            stats: hittingLine(rng, spec, p.profile, gap, volume),
          };
    ctx.stints.push(stint);
    if (pl.sportId === MLB && p.mlbDebutDate === null) {
      const month = pl.kind === 'callup' ? rng.int(5, 9) : 4;
      p.mlbDebutDate = `${season}-${String(month).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
    }
    if (pl.kind !== 'rehab') {
      const best = highest.get(p.id);
      if (best === undefined || spec.difficulty > levelSpec(best).difficulty) highest.set(p.id, pl.sportId);
    }
  }
  for (const [id, sportId] of highest) {
    const p = ctx.players.get(id);
    if (p) p.lastSportId = sportId;
  }
}
