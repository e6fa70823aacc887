/**
 * What a grade import does with a parsed board once the candidates are known: which rows load (matched, one row per
 * player), which go to quarantine with their reason (unreadable, unmatched, ambiguous, repeated), and which loaded
 * rows are noted for review because they disagree with the MLB data. Pure: sources/csv/import-grades.ts writes it.
 */
import type { GradeRecord, ParsedGrades } from './grades.ts';
import { matchPlayer, normalizeName, type Candidate, type Checks } from './match.ts';

export interface MatchedGrade {
  rec: GradeRecord;
  playerId: number;
  confidence: number;
  method: string;
  checks: Checks;
}

export interface PlannedQuarantine {
  entity: 'grade' | 'grade_inconsistency';
  reason: string;
  payload: { season: number; line: number; row: Record<string, string>; [k: string]: unknown };
}

export interface GradeImportPlan {
  /** Rows to load, in file order. */
  loaded: MatchedGrade[];
  /** Rows quarantined ('grade'), then the notes on loaded rows ('grade_inconsistency'). */
  entries: PlannedQuarantine[];
  /** Rows quarantined: rows read = loaded + quarantined. Notes are not counted. */
  quarantined: number;
  /** Loaded rows that disagree with the MLB data on organization, age or position. */
  inconsistent: number;
}

function disagreements(checks: Checks): string[] {
  return Object.entries(checks)
    .filter(([, c]) => c.result === 'disagree')
    .map(([k, c]) => `${k} disagrees (${c.detail})`);
}

/**
 * Matches every record of `parsed` against `index` (sources/csv/match.ts indexCandidates).
 * @throws Error when the accounting does not add up (rows read ≠ loaded + quarantined): a bug, never bad data.
 */
export function planGradeImport(
  parsed: ParsedGrades,
  index: Map<string, Candidate[]>,
  season: number,
): GradeImportPlan {
  const entries: PlannedQuarantine[] = parsed.rejects.map((r) => ({
    entity: 'grade',
    reason: r.reason,
    payload: { season, line: r.line, row: r.raw, candidates: [] },
  }));
  const seen = new Map<string, number>();
  const matched: MatchedGrade[] = [];
  for (const rec of parsed.records) {
    const key = `${normalizeName(rec.name)}|${rec.organization.toLowerCase()}`;
    const first = seen.get(key);
    const base = { season, line: rec.line, row: rec.raw };
    if (first !== undefined) {
      entries.push({
        entity: 'grade',
        reason: `duplicate of the row on line ${first} (same name and organization)`,
        payload: { ...base, candidates: [] },
      });
      continue;
    }
    seen.set(key, rec.line);
    const m = matchPlayer(rec, index, season);
    if (m.status === 'matched')
      matched.push({ rec, playerId: m.playerId, confidence: m.confidence, method: m.method, checks: m.checks });
    else
      entries.push({
        entity: 'grade',
        reason: `${m.status}: ${m.reason}`,
        payload: { ...base, candidates: m.considered },
      });
  }
  // One player cannot hold two places on one list: the weaker match of the two is the suspect one.
  const best = new Map<number, MatchedGrade>();
  for (const m of [...matched].sort((a, b) => b.confidence - a.confidence || a.rec.line - b.rec.line)) {
    const holder = best.get(m.playerId);
    if (!holder) best.set(m.playerId, m);
    else {
      entries.push({
        entity: 'grade',
        reason: `matched player ${m.playerId} (${m.confidence}), already matched by the row on line ${holder.rec.line} (${holder.confidence})`,
        payload: {
          season,
          line: m.rec.line,
          row: m.rec.raw,
          candidates: [{ playerId: m.playerId, confidence: m.confidence, checks: m.checks }],
        },
      });
    }
  }
  const loaded = [...best.values()].sort((a, b) => a.rec.line - b.rec.line);
  const quarantined = entries.length;
  let inconsistent = 0;
  for (const m of loaded) {
    const problems = disagreements(m.checks);
    if (problems.length === 0) continue;
    inconsistent++;
    entries.push({
      entity: 'grade_inconsistency',
      reason: problems.join('; '),
      payload: {
        season,
        line: m.rec.line,
        row: m.rec.raw,
        playerId: m.playerId,
        confidence: m.confidence,
        method: m.method,
        checks: m.checks,
      },
    });
  }
  if (parsed.rows !== loaded.length + quarantined) {
    throw new Error(
      `grade import accounting is off: ${parsed.rows} rows read but ${loaded.length} loaded + ${quarantined} quarantined`,
    );
  }
  return { loaded, entries, quarantined, inconsistent };
}
