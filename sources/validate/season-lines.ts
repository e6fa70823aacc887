/**
 * validateSeasonLines: the domain checks applied to one season's parsed lines before they are loaded. Every input line
 * ends in exactly one of `accepted` or `rejects` (with the rule that failed first and every reason); `flags` report
 * what is kept but worth a look. Pure: the caller loads `accepted`, quarantines `rejects` and logs `flags`.
 *
 * Order: duplicates of a line key (the load upserts on player, season, level and group, so a second copy would
 * silently overwrite the first), then per-line rules (rules.ts), then level-wide outliers (outliers.ts) computed only
 * over lines that passed the per-line rules, so a broken line cannot distort a level's median.
 */
import { SPORT_IDS, type PlayerBio, type SeasonLine, type StatGroup } from '../../lib/domain.ts';
import { describeScore, OUTLIER, scoreOutliers } from './outliers.ts';
import { checkLine, describeLine, type Finding } from './rules.ts';

export interface LineReject {
  /** The line's description and every reason it failed, separated by "; ". */
  reason: string;
  raw: SeasonLine;
  /** The first rule it failed. */
  rule: string;
}

export interface LineFlag {
  playerId: number;
  season: number;
  sportId: number;
  group: StatGroup;
  rule: string;
  detail: string;
}

export interface ValidatedSeasonLines {
  accepted: SeasonLine[];
  rejects: LineReject[];
  flags: LineFlag[];
}

export interface ValidateSeasonLinesInput {
  season: number;
  lines: readonly SeasonLine[];
  bios: ReadonlyMap<number, PlayerBio>;
}

const keyOf = (l: SeasonLine): string => `${l.playerId}:${l.season}:${l.sportId}:${l.group}`;

/** Canonical JSON of a line (sorted keys), so two copies compare equal whatever their key order. */
function canonical(l: SeasonLine): string {
  const stats = Object.fromEntries(Object.entries(l.stats).sort(([a], [b]) => a.localeCompare(b)));
  return JSON.stringify([l.playerId, l.season, l.sportId, l.group, l.teamId, stats]);
}

/**
 * Findings about the line key, by input index: identical later copies are dropped (the first is kept); differing
 * copies are all rejected, since none is known to be the good one.
 */
function duplicateFindings(lines: readonly SeasonLine[]): Map<number, Finding> {
  const byKey = new Map<string, number[]>();
  lines.forEach((l, i) => {
    const list = byKey.get(keyOf(l));
    if (list) list.push(i);
    else byKey.set(keyOf(l), [i]);
  });
  const out = new Map<number, Finding>();
  for (const copies of byKey.values()) {
    if (copies.length < 2) continue;
    const texts = copies.map((i) => canonical(lines[i]!));
    const identical = texts.every((t) => t === texts[0]);
    copies.forEach((index, n) => {
      if (identical && n === 0) return;
      out.set(
        index,
        identical
          ? {
              rule: 'duplicate_line',
              severity: 'reject',
              detail: `identical copy ${n + 1} of ${copies.length} of this line`,
            }
          : {
              rule: 'conflicting_lines',
              severity: 'reject',
              detail: `${copies.length} different lines for the same player, season, level and group`,
            },
      );
    });
  }
  return out;
}

export function validateSeasonLines({ season, lines, bios }: ValidateSeasonLinesInput): ValidatedSeasonLines {
  const rejects: LineReject[] = [];
  const flags: LineFlag[] = [];
  const where = (l: SeasonLine) => describeLine(l, bios.get(l.playerId));
  const reject = (l: SeasonLine, findings: readonly Finding[]) => {
    const reasons = findings.map((f) => `${f.detail} [${f.rule}]`).join('; ');
    rejects.push({ reason: `${where(l)}: ${reasons}`, raw: l, rule: findings[0]?.rule ?? 'unknown' });
  };
  const duplicates = duplicateFindings(lines);
  // Lines that passed the per-line rules, with their flags, which are reported only if the line is finally accepted.
  const sound: { line: SeasonLine; flags: Finding[] }[] = [];
  lines.forEach((line, i) => {
    const dup = duplicates.get(i);
    const findings = [...(dup ? [dup] : []), ...checkLine(line, season, bios.get(line.playerId))];
    const failed = findings.filter((f) => f.severity === 'reject');
    if (failed.length > 0) reject(line, failed);
    else sound.push({ line, flags: findings });
  });
  const scores = scoreOutliers(sound.map((s) => s.line));
  const accepted: SeasonLine[] = [];
  for (const { line, flags: found } of sound) {
    const outliers = scores.get(line) ?? [];
    const extreme = outliers.filter((s) => Math.abs(s.z) > OUTLIER.rejectZ);
    if (extreme.length > 0 && line.sportId !== SPORT_IDS.MLB) {
      reject(
        line,
        extreme.map((s) => ({
          rule: 'outlier_extreme',
          severity: 'reject',
          detail: `${describeScore(s)}, beyond ${OUTLIER.rejectZ}`,
        })),
      );
      continue;
    }
    for (const s of outliers) {
      const isExtreme = Math.abs(s.z) > OUTLIER.rejectZ;
      // At MLB an extreme line is kept: its counts make the success label, and MLB's own record is the best curated.
      found.push({
        rule: isExtreme ? 'outlier_extreme' : 'outlier',
        severity: 'flag',
        detail: `${describeScore(s)}${isExtreme ? ' (kept at MLB)' : ''}`,
      });
    }
    for (const f of found)
      flags.push({
        playerId: line.playerId,
        season: line.season,
        sportId: line.sportId,
        group: line.group,
        rule: f.rule,
        detail: `${where(line)}: ${f.detail}`,
      });
    accepted.push(line);
  }
  return { accepted, rejects, flags };
}
