/**
 * The yearly amateur draft and international signing period of the sample universe.
 * Scouts rank a class by a noisy guess of each player's peak, so better players tend to go earlier, with misses.
 */
import type { SimContext, DraftRecord } from './context.ts';
import { capacity } from './context.ts';
import { ladder } from './levels.ts';
import { createPlayer, projectedPeak, schoolName, type SamplePlayer } from './players.ts';
import type { Rng } from './prng.ts';

/** Rounds of the real draft: 40 through 2019, 5 in 2020, 20 since. */
export function draftRounds(year: number): number {
  if (year < 2020) return 40;
  if (year === 2020) return 5;
  return 20;
}

const ORGS = 30;

/** Whether a pick of the full-size draft exists at this scale: an even thinning that keeps pick numbers. */
function keptAtScale(index: number, scale: number): boolean {
  return Math.floor((index + 1) * scale) > Math.floor(index * scale);
}

function unsignedChance(round: number, highSchool: boolean): number {
  if (round <= 2) return highSchool ? 0.06 : 0.02;
  if (round <= 10) return highSchool ? 0.3 : 0.05;
  return highSchool ? 0.6 : 0.15;
}

interface Candidate {
  player: SamplePlayer;
  highSchool: boolean;
  estimate: number;
}

function newCandidate(ctx: SimContext, rng: Rng, year: number): Candidate {
  const highSchool = rng.chance(0.38);
  const age = highSchool ? rng.normal(18.3, 0.3) : rng.normal(21.4, 0.6);
  const skill = highSchool ? rng.normal(-0.1, 0.55) : rng.normal(1.0, 0.55);
  const player = createPlayer(ctx.ids, rng, {
    season: year,
    age,
    pitcher: rng.chance(0.52),
    skill,
    international: false,
    entry: 'draft',
    firstSeason: year,
  });
  player.dev = Math.exp(rng.normal(0, 0.34));
  return { player, highSchool, estimate: projectedPeak(player, year) + rng.normal(0, 0.55) };
}

/**
 * Runs the draft of `year`: signed picks join their organisation (they play from this season, short-season levels),
 * unsigned ones go back to school and may be drafted again. Returns the signed players.
 */
export function runDraft(ctx: SimContext, year: number): SamplePlayer[] {
  const rng = ctx.rng.fork(`draft-${year}`);
  const rounds = draftRounds(year);
  const picks = rounds * ORGS;
  const order = ctx.orgs.map((o) => o.id);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const a = order[i];
    const b = order[j];
    if (a === undefined || b === undefined) continue;
    order[i] = b;
    order[j] = a;
  }
  // Only picks that exist at this scale get a person: generating and discarding the rest would waste ids.
  const keep: number[] = [];
  for (let i = 0; i < picks; i++) if (keptAtScale(i, ctx.scale)) keep.push(i);
  const returning = (ctx.reentry.get(year) ?? []).map<Candidate>((player) => ({
    player,
    highSchool: false,
    estimate: projectedPeak(player, year) + rng.normal(0, 0.5),
  }));
  ctx.reentry.delete(year);
  // The class is a little deeper than the draft so the last picks are not the whole pool.
  const classSize = Math.ceil(keep.length * 1.15);
  const pool = [...returning];
  while (pool.length < classSize) pool.push(newCandidate(ctx, rng, year));
  pool.sort((a, b) => b.estimate - a.estimate);

  const records: DraftRecord[] = [];
  const signed: SamplePlayer[] = [];
  keep.forEach((pickIndex, n) => {
    const candidate = pool[n];
    const orgId = order[pickIndex % ORGS];
    if (!candidate || orgId === undefined) return;
    const round = Math.floor(pickIndex / ORGS) + 1;
    const { player, highSchool } = candidate;
    const age = year + 0.5 - player.born;
    const isSigned = !rng.chance(unsignedChance(round, highSchool));
    records.push({
      year,
      round: String(round),
      pickNumber: pickIndex + 1,
      roundPickNumber: (pickIndex % ORGS) + 1,
      orgId,
      playerId: player.id,
      school: schoolName(rng, player, !highSchool),
      schoolClass: highSchool ? 'HS SR' : age < 22 ? 'JR' : 'SR',
      signed: isSigned,
    });
    ctx.players.set(player.id, player);
    if (isSigned) {
      player.orgId = orgId;
      player.draftYear = year;
      player.draftRound = round;
      player.entry = 'draft';
      player.firstSeason = year;
      player.status = 'active';
      signed.push(player);
    } else {
      player.status = 'retired';
      // A high-schooler goes to college and is eligible again as a junior; a college junior returns as a senior.
      const back = highSchool ? year + 3 : age < 22 ? year + 1 : null;
      if (back !== null) ctx.reentry.set(back, [...(ctx.reentry.get(back) ?? []), player]);
    }
  });
  ctx.drafts.set(year, records);
  return signed;
}

/**
 * The July international signing period: sixteen- and seventeen-year-olds who debut in the complex leagues next season.
 */
export function signInternational(ctx: SimContext, year: number): void {
  const rng = ctx.rng.fork(`international-${year}`);
  const rookie = ladder(year + 1)[0] ?? 16;
  for (const org of ctx.orgs) {
    for (const group of ['hitting', 'pitching'] as const) {
      const count = Math.round(capacity(ctx, org, year + 1, rookie, group) * 1.1);
      for (let i = 0; i < count; i++) {
        const player = createPlayer(ctx.ids, rng, {
          season: year + 1,
          age: rng.normal(17.3, 0.4),
          pitcher: group === 'pitching',
          skill: rng.normal(-0.45, 0.6),
          international: true,
          entry: 'international',
          firstSeason: year + 1,
        });
        player.dev = Math.exp(rng.normal(0, 0.36));
        player.orgId = org.id;
        ctx.players.set(player.id, player);
      }
    }
  }
}

/** A player signed on the spot to fill an empty roster spot at a low level (undrafted college or older amateur). */
export function signFiller(
  ctx: SimContext,
  rng: Rng,
  season: number,
  orgId: number,
  pitcher: boolean,
  sportId: number,
): SamplePlayer {
  const rookie = sportId === 16;
  const player = createPlayer(ctx.ids, rng, {
    season,
    age: rookie ? rng.normal(18.6, 0.8) : rng.normal(22.3, 0.7),
    pitcher,
    skill: rookie ? rng.normal(-0.3, 0.45) : rng.normal(0.55, 0.45),
    international: rookie && rng.chance(0.7),
    entry: rookie ? 'international' : 'undrafted',
    firstSeason: season,
  });
  player.orgId = orgId;
  ctx.players.set(player.id, player);
  return player;
}
