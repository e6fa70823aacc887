/**
 * Per-line domain rules for parsed season lines: the level existed that season, the counts are whole and add up, and
 * the player's age is possible. Each finding carries a rule id and a reason naming the player, season, level and the
 * values involved. Pure; season-lines.ts runs these and the level-wide outlier check (outliers.ts).
 */
import {
  levelOfSport,
  minorSportIds,
  SPORT_IDS,
  type HittingCounts,
  type PitchingCounts,
  type PlayerBio,
  type SeasonLine,
} from '../../lib/domain.ts';

export interface Finding {
  rule: string;
  /** Reject drops the line into quarantine; flag keeps it and reports it. */
  severity: 'reject' | 'flag';
  /** Without the line's description, which the caller prefixes (see describeLine). */
  detail: string;
}

/**
 * PA minus (AB + BB + HBP + SF) is sacrifice bunts plus catcher's interference, neither of which we carry.
 * Up to max(3, 5% of PA) is ordinary. More is flagged up to max(10, 25% of PA): real pitchers batting in the NL bunt
 * that often (Jair Jurrjens 2011: 7 of 55 PA, in the recorded fixtures). Beyond that the counts do not describe one line.
 * (`baseOnBalls` includes intentional walks in the Stats API: Juan Soto's career 2136 AB + 508 BB + 10 HBP + 11 SF
 * + 1 SH + 1 CI = 2667 PA, with 54 IBB inside the 508.)
 */
export const PA_RESIDUAL = { okMin: 3, okShare: 0.05, flagMin: 10, flagShare: 0.25 } as const;

/**
 * Age on July 1 of the season. 15-45 is the plausible window; 46-50 is flagged, because it happens (Jamie Moyer
 * pitched in MLB at 49 in 2012); outside 15-50 the birth date is wrong (a placeholder such as 1950-01-01), which
 * makes the birth date unknown (birth-dates.ts) but never costs the season line.
 */
export const AGE_LIMITS = { min: 15, max: 45, hardMax: 50 } as const;

export function levelName(sportId: number): string {
  return levelOfSport(sportId) ?? `sport ${sportId}`;
}

/** "player 123 (Jane Doe), season 2015, AA hitting" */
export function describeLine(line: SeasonLine, bio: PlayerBio | undefined): string {
  const who = bio ? `player ${line.playerId} (${bio.fullName})` : `player ${line.playerId}`;
  return `${who}, season ${line.season}, ${levelName(line.sportId)} ${line.group}`;
}

/** Age in whole years on July 1 of `season`, or null when the birth date is not a real YYYY-MM-DD date. */
export function ageOnJuly1(birthDate: string, season: number): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return season - y - (mo > 7 || (mo === 7 && d > 1) ? 1 : 0);
}

const reject = (rule: string, detail: string): Finding => ({ rule, severity: 'reject', detail });
const flag = (rule: string, detail: string): Finding => ({ rule, severity: 'flag', detail });

function invalidCounts(stats: HittingCounts | PitchingCounts): string[] {
  return Object.entries(stats)
    .filter(([, v]) => typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    .map(([k, v]) => `${k} = ${JSON.stringify(v)}`);
}

function hittingFindings(s: HittingCounts): Finding[] {
  const out: Finding[] = [];
  const accounted = s.atBats + s.baseOnBalls + s.hitByPitch + s.sacFlies;
  const residual = s.plateAppearances - accounted;
  const parts = `atBats ${s.atBats} + baseOnBalls ${s.baseOnBalls} + hitByPitch ${s.hitByPitch} + sacFlies ${s.sacFlies} = ${accounted}`;
  const okLimit = Math.max(PA_RESIDUAL.okMin, PA_RESIDUAL.okShare * s.plateAppearances);
  const flagLimit = Math.max(PA_RESIDUAL.flagMin, PA_RESIDUAL.flagShare * s.plateAppearances);
  if (residual < 0) out.push(reject('pa_accounting', `plateAppearances ${s.plateAppearances} < ${parts}`));
  else if (residual > flagLimit) {
    out.push(
      reject(
        'pa_accounting',
        `plateAppearances ${s.plateAppearances} exceed ${parts} by ${residual}, more than sacrifice bunts can explain (limit ${Math.floor(flagLimit)})`,
      ),
    );
  } else if (residual > okLimit) {
    out.push(
      flag(
        'pa_residual',
        `plateAppearances ${s.plateAppearances} exceed ${parts} by ${residual} (sacrifice bunts?; ordinary up to ${Math.floor(okLimit)})`,
      ),
    );
  }
  if (s.hits > s.atBats) out.push(reject('hits_over_ab', `hits ${s.hits} > atBats ${s.atBats}`));
  else if (s.hits + s.strikeOuts > s.atBats) {
    out.push(
      reject(
        'ab_accounting',
        `hits ${s.hits} + strikeOuts ${s.strikeOuts} = ${s.hits + s.strikeOuts} > atBats ${s.atBats}`,
      ),
    );
  }
  const xbh = s.doubles + s.triples + s.homeRuns;
  if (xbh > s.hits)
    out.push(
      reject(
        'xbh_over_hits',
        `doubles ${s.doubles} + triples ${s.triples} + homeRuns ${s.homeRuns} = ${xbh} > hits ${s.hits}`,
      ),
    );
  if (s.intentionalWalks > s.baseOnBalls) {
    out.push(
      reject(
        'ibb_over_bb',
        `intentionalWalks ${s.intentionalWalks} > baseOnBalls ${s.baseOnBalls} (which include them)`,
      ),
    );
  }
  return out;
}

function pitchingFindings(s: PitchingCounts): Finding[] {
  const out: Finding[] = [];
  const ended = s.hits + s.baseOnBalls + s.hitByPitch + s.strikeOuts;
  if (ended > s.battersFaced) {
    out.push(
      reject(
        'bf_accounting',
        `hits ${s.hits} + baseOnBalls ${s.baseOnBalls} + hitByPitch ${s.hitByPitch} + strikeOuts ${s.strikeOuts} = ${ended} > battersFaced ${s.battersFaced}`,
      ),
    );
  }
  if (s.homeRuns > s.hits) out.push(reject('hr_over_hits', `homeRuns ${s.homeRuns} > hits ${s.hits}`));
  // A batter can make at most three outs (a triple play); a reliever who only picks a runner off faces nobody, hence max(BF, 1).
  if (s.outs > 3 * Math.max(s.battersFaced, 1)) {
    out.push(reject('outs_over_bf', `outs ${s.outs} > 3 × battersFaced ${s.battersFaced}`));
  }
  // games 0 is how the parser records a missing games count, so only a known games count is compared.
  if (s.games > 0 && s.gamesStarted > s.games)
    out.push(reject('gs_over_games', `gamesStarted ${s.gamesStarted} > games ${s.games}`));
  return out;
}

function ageFindings(line: SeasonLine, bio: PlayerBio | undefined): Finding[] {
  if (!bio) return [flag('no_bio', 'no bio for this player: age not checked')];
  const age = bio.birthDate === null ? null : ageOnJuly1(bio.birthDate, line.season);
  if (age === null)
    return [flag('no_birth_date', `birth date ${JSON.stringify(bio.birthDate)} unknown or invalid: age not checked`)];
  const detail = `age ${age} on July 1 (born ${bio.birthDate})`;
  // The loader has already made such a birth date unknown (screenBirthDates); here it is only reported, never a reject.
  if (age < AGE_LIMITS.min || age > AGE_LIMITS.hardMax) {
    return [
      flag(
        'implausible_birth_date',
        `${detail} is outside ${AGE_LIMITS.min}-${AGE_LIMITS.hardMax}: the birth date is wrong, the line is kept`,
      ),
    ];
  }
  if (age > AGE_LIMITS.max) return [flag('age_unusual', `${detail} is above ${AGE_LIMITS.max}`)];
  return [];
}

/** Every finding of one line; the season is the one being loaded, which each line must belong to. */
export function checkLine(line: SeasonLine, season: number, bio: PlayerBio | undefined): Finding[] {
  const out: Finding[] = [];
  if (line.season !== season)
    out.push(reject('season_mismatch', `line is for season ${line.season}, batch is season ${season}`));
  const levels = [SPORT_IDS.MLB, ...minorSportIds(line.season)];
  if (!levels.includes(line.sportId)) {
    out.push(
      reject(
        'level_not_in_season',
        `sportId ${line.sportId} is not a level in ${line.season} (levels: ${levels.join(', ')})`,
      ),
    );
  }
  const invalid = invalidCounts(line.stats);
  if (invalid.length > 0) {
    // Arithmetic on broken counts would only add noise to the reason.
    out.push(reject('invalid_count', `counts must be non-negative integers: ${invalid.join(', ')}`));
  } else {
    for (const f of line.group === 'hitting' ? hittingFindings(line.stats) : pitchingFindings(line.stats)) out.push(f);
  }
  for (const f of ageFindings(line, bio)) out.push(f);
  return out;
}
