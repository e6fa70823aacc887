/**
 * The season loop of the sample universe: develop, draft, place, play, sign, retire; repeated from a few warm-up
 * seasons before the first served season so that season is not all rookies.
 */
import { createContext, type SimContext } from './context.ts';
import { runDraft, signInternational } from './draft.ts';
import { placeSeason } from './placement.ts';
import { develop, seasonAge } from './players.ts';
import { playSeason } from './season.ts';

export interface SimulateOptions {
  seed: number;
  startSeason: number;
  toSeason: number;
  scale: number;
  covid2020: boolean;
}

export function simulate(options: SimulateOptions): SimContext {
  const ctx = createContext(options.seed, options.scale, options.startSeason, options.covid2020);
  for (let season = options.startSeason; season <= options.toSeason; season++) {
    if (season > options.startSeason) ageOneYear(ctx, season);
    const draftees = runDraft(ctx, season);
    const placements = placeSeason(ctx, season, draftees);
    playSeason(ctx, season, placements, new Set(draftees.map((p) => p.id)));
    signInternational(ctx, season);
    retire(ctx, season);
  }
  return ctx;
}

function ageOneYear(ctx: SimContext, season: number): void {
  const rng = ctx.rng.fork(`develop-${season}`);
  for (const p of ctx.players.values()) {
    if (p.status !== 'retired') develop(p, season, rng);
  }
}

/** Unsigned free agents give up after a year or two (sooner when older); old players retire. */
function retire(ctx: SimContext, season: number): void {
  const rng = ctx.rng.fork(`retire-${season}`);
  for (const p of ctx.players.values()) {
    if (p.status === 'retired') continue;
    const age = seasonAge(p, season);
    if (p.status === 'free') {
      p.idleSeasons += 1;
      if (p.idleSeasons >= 2 || age >= 28 || rng.chance(0.4)) p.status = 'retired';
    } else if (age >= 40 || (age >= 34 && rng.chance(0.25))) {
      p.status = 'retired';
      p.orgId = null;
    }
  }
}
