/**
 * The mutable state of one universe simulation (players, stints, drafts) and the seeding of its first season.
 * Only the simulation modules touch it; generateUniverse turns it into the frozen, servable universe.
 */
import type { HittingCounts, PitchingCounts, StatGroup } from '../../lib/domain.ts';
import { createRng, type Rng } from './prng.ts';
import { ladder, levelSpec } from './levels.ts';
import { buildOrganizations, type SampleOrganization } from './organizations.ts';
import { createPlayer, createPlayerIds, type PlayerIds, type SamplePlayer } from './players.ts';

/** One player's time with one team at one level in one season (a traded player has two at the same level). */
export type Stint = {
  playerId: number;
  season: number;
  sportId: number;
  teamId: number;
  kind: 'regular' | 'callup' | 'rehab' | 'draftee';
} & ({ group: 'hitting'; stats: HittingCounts } | { group: 'pitching'; stats: PitchingCounts });

export interface DraftRecord {
  year: number;
  round: string;
  pickNumber: number;
  roundPickNumber: number;
  orgId: number;
  playerId: number;
  school: string;
  schoolClass: string;
  signed: boolean;
}

export interface SimContext {
  rng: Rng;
  scale: number;
  startSeason: number;
  /** When true, no minor-league games in 2020 and a 60-game MLB season, like the real record. */
  covid2020: boolean;
  orgs: SampleOrganization[];
  orgById: Map<number, SampleOrganization>;
  players: Map<number, SamplePlayer>;
  ids: PlayerIds;
  stints: Stint[];
  drafts: Map<number, DraftRecord[]>;
  /** Unsigned draftees who return in a later draft class, keyed by that class's year. */
  reentry: Map<number, SamplePlayer[]>;
}

/** Mean and spread of ages at each level, for seeding the first simulated season (CALIBRATION.md, MLB assumed). */
const SEED_AGES: Record<number, readonly [number, number]> = {
  16: [19.2, 1.4],
  5442: [20.3, 1.2],
  15: [21.3, 1.2],
  14: [21.8, 1.5],
  13: [23, 1.6],
  12: [24.5, 1.8],
  11: [27, 2.4],
  1: [29, 3.2],
};

export function groupOf(player: SamplePlayer): StatGroup {
  return player.position === 'P' ? 'pitching' : 'hitting';
}

/**
 * Players an organisation places at a level, scaled. Spreading the fractional part over organisations keeps the
 * league total equal to round(30 x roster x scale) even when scale leaves about one player per club.
 */
export function capacity(
  ctx: SimContext,
  org: SampleOrganization,
  season: number,
  sportId: number,
  group: StatGroup,
): number {
  const spec = levelSpec(sportId);
  let roster = group === 'hitting' ? spec.rosterHitters : spec.rosterPitchers;
  // After 2020 the complex leagues absorb the Rookie Advanced and short-season players.
  if (sportId === 16 && season >= 2021) roster += group === 'hitting' ? 6 : 7;
  const per = roster * ctx.scale;
  return Math.floor((org.index + 1) * per) - Math.floor(org.index * per);
}

export function createContext(seed: number, scale: number, startSeason: number, covid2020: boolean): SimContext {
  const rng = createRng(seed);
  const orgs = buildOrganizations();
  const ctx: SimContext = {
    rng,
    scale,
    startSeason,
    covid2020,
    orgs,
    orgById: new Map(orgs.map((o) => [o.id, o])),
    players: new Map(),
    ids: createPlayerIds(rng.fork('ids')),
    stints: [],
    drafts: new Map(),
    reentry: new Map(),
  };
  seedPopulation(ctx);
  return ctx;
}

/** Fills every roster of the first season with players of plausible age and skill for their level. */
function seedPopulation(ctx: SimContext): void {
  const rng = ctx.rng.fork('seed-population');
  const season = ctx.startSeason;
  for (const org of ctx.orgs) {
    for (const sportId of ladder(season)) {
      for (const group of ['hitting', 'pitching'] as const) {
        const count = capacity(ctx, org, season, sportId, group);
        const [ageMean, ageSd] = SEED_AGES[sportId] ?? [24, 2];
        for (let i = 0; i < count; i++) {
          const age = Math.max(17, rng.normal(ageMean, ageSd));
          const skill = levelSpec(sportId).difficulty + rng.normal(sportId === 1 ? 0.3 : 0.1, 0.35);
          const player = createPlayer(ctx.ids, rng, {
            season,
            age,
            pitcher: group === 'pitching',
            skill,
            international: rng.chance(0.25),
            entry: 'initial',
            firstSeason: season,
          });
          player.orgId = org.id;
          player.lastSportId = sportId;
          if (sportId === 1) player.mlbDebutDate = `${season - Math.max(1, Math.round(age - 24))}-05-01`;
          if (player.birthCountry === 'USA') {
            player.draftYear = Math.min(season - 1, Math.floor(player.born + (rng.chance(0.4) ? 18.5 : 21.5)));
            player.draftRound = rng.int(1, 40);
          }
          ctx.players.set(player.id, player);
        }
      }
    }
  }
}

export function seasonHasMinors(ctx: SimContext, season: number): boolean {
  return !(ctx.covid2020 && season === 2020);
}
