/**
 * Placeholder and impossible birth dates: the bio's birth date becomes unknown (null) and a flag records what the
 * source said; the player's season lines are kept. A wrong birth date is a fault of the bio, not of the season line,
 * and quarantining the line (as the 15-50 age rule once did) lost real playing time to a clerical default.
 *
 * Real examples in ../shared/realdata/people.json.gz: `1950-01-01` (15 players), `1900-01-01`, and a 2007 birth
 * date on a 2005-2007 professional. Pure; the loader stores the cleaned bios and the flags.
 */
import type { PlayerBio, SeasonLine } from '../../lib/domain.ts';
import { AGE_LIMITS, ageOnJuly1 } from './rules.ts';

/** Defaults the source's data entry uses for "unknown". */
export const PLACEHOLDER_BIRTH_DATES: ReadonlySet<string> = new Set(['1900-01-01', '1950-01-01']);

export type BirthDateRule = 'placeholder_birth_date' | 'invalid_birth_date' | 'implausible_birth_date';

export interface BirthDateFlag {
  playerId: number;
  rule: BirthDateRule;
  /** What the source said. */
  birthDate: string;
  detail: string;
}

export interface ScreenedBirthDates {
  /** The same bios, with every flagged birth date set to null. */
  bios: Map<number, PlayerBio>;
  /** One flag per player whose birth date was dropped. */
  flags: BirthDateFlag[];
}

/** Why a birth date cannot be used on its own (placeholder or not a calendar date), or null. */
function intrinsicProblem(birthDate: string): { rule: BirthDateRule; detail: string } | null {
  if (PLACEHOLDER_BIRTH_DATES.has(birthDate))
    return { rule: 'placeholder_birth_date', detail: `birth date ${birthDate} is a placeholder` };
  // Any season does to test the date itself.
  if (ageOnJuly1(birthDate, 2000) === null)
    return { rule: 'invalid_birth_date', detail: `birth date ${JSON.stringify(birthDate)} is not a calendar date` };
  return null;
}

/** The first and last season a player has lines in, as stored before this batch. */
export interface SeasonsPlayed {
  first: number;
  last: number;
}

/**
 * Checks every bio's birth date, on its own and against the seasons the player played: his lines in `lines` and,
 * from `stored`, the first and last season of his lines already loaded (a bio refresh brings bios and no lines, so
 * without them a date an earlier load found impossible would be written back). A date that makes him younger than
 * AGE_LIMITS.min or older than AGE_LIMITS.hardMax on July 1 of a season he played is wrong.
 */
export function screenBirthDates(
  bios: ReadonlyMap<number, PlayerBio>,
  lines: readonly Pick<SeasonLine, 'playerId' | 'season'>[],
  stored: ReadonlyMap<number, SeasonsPlayed> = new Map(),
): ScreenedBirthDates {
  const found = new Map<number, BirthDateFlag>();
  for (const bio of bios.values()) {
    if (bio.birthDate === null) continue;
    const problem = intrinsicProblem(bio.birthDate);
    if (problem)
      found.set(bio.playerId, {
        playerId: bio.playerId,
        birthDate: bio.birthDate,
        rule: problem.rule,
        detail: `${bio.fullName} (${bio.playerId}): ${problem.detail}`,
      });
  }
  const played: { playerId: number; season: number }[] = lines.map((l) => ({ playerId: l.playerId, season: l.season }));
  for (const [playerId, s] of stored) played.push({ playerId, season: s.first }, { playerId, season: s.last });
  // The earliest season gives the youngest age, the latest the oldest; one flag per player names the first found.
  played.sort((a, b) => a.season - b.season);
  for (const line of played) {
    const bio = bios.get(line.playerId);
    if (!bio || bio.birthDate === null || found.has(bio.playerId)) continue;
    const age = ageOnJuly1(bio.birthDate, line.season);
    if (age === null || (age >= AGE_LIMITS.min && age <= AGE_LIMITS.hardMax)) continue;
    found.set(bio.playerId, {
      playerId: bio.playerId,
      birthDate: bio.birthDate,
      rule: 'implausible_birth_date',
      detail: `${bio.fullName} (${bio.playerId}): birth date ${bio.birthDate} makes him ${age} on July 1 of ${line.season}, when he played professionally (possible: ${AGE_LIMITS.min}-${AGE_LIMITS.hardMax})`,
    });
  }
  const cleaned = new Map(bios);
  for (const id of found.keys()) {
    const bio = bios.get(id);
    if (bio) cleaned.set(id, { ...bio, birthDate: null });
  }
  return { bios: cleaned, flags: [...found.values()] };
}
