/**
 * The first step of loading a batch: its landing-zone responses sorted by kind (stats, people, teams, draft), stats
 * splits shape-checked, everything parsed, and every rejected row kept with its reason and, for season lines, its
 * cell and cause for the circuit breaker. Pure: activities/load-season.ts reads the responses and writes the result.
 */
import type { DraftPick, PlayerBio, StatGroup } from '../../lib/domain.ts';
import { SPORT_IDS } from '../../lib/domain.ts';
import {
  parseDraft,
  parsePeople,
  parseStatSplits,
  parseTeams,
  type ParsedStatSplits,
  type ParsedTeams,
  type ParseReject,
} from '../mlb-stats-api/parse.ts';
import { statsSplitsOf } from '../mlb-stats-api/stats-page.ts';
import type { CellKey } from './circuit-breaker.ts';
import { causeOfParseReason, causeOfShapeIssue, type RejectCause } from './reject-cause.ts';
import { describeShapeIssues, shapeIssues } from './schemas.ts';

type Kind = 'stats' | 'people' | 'teams' | 'draft' | 'other';
function kindOf(url: string): { kind: Kind; group: StatGroup } {
  const u = new URL(url);
  const group: StatGroup = u.searchParams.get('group') === 'pitching' ? 'pitching' : 'hitting';
  if (u.pathname.endsWith('/stats')) return { kind: 'stats', group };
  if (u.pathname.endsWith('/people')) return { kind: 'people', group };
  if (u.pathname.endsWith('/teams')) return { kind: 'teams', group };
  if (/\/draft\/\d+$/.test(u.pathname)) return { kind: 'draft', group };
  return { kind: 'other', group };
}

/** Whether a URL is a season-stats request. */
export function isStatsUrl(url: string): boolean {
  return kindOf(url).kind === 'stats';
}

/** Whether a `/stats` request asked for a level other than MLB. */
export function asksForMinors(url: string): boolean {
  const ids = new URL(url).searchParams.get('sportIds') ?? new URL(url).searchParams.get('sportId') ?? '';
  return ids.split(',').some((id) => id.trim() !== '' && Number(id) !== SPORT_IDS.MLB);
}

/** The cell of a raw split that could not be parsed: its level when readable; the season is the batch's. */
function cellOfRaw(raw: unknown, season: number, group: StatGroup): CellKey {
  const sport = (raw as { sport?: { id?: unknown } } | null)?.sport?.id;
  const sportId =
    typeof sport === 'number' && Number.isInteger(sport)
      ? sport
      : typeof sport === 'string' && /^\d+$/.test(sport)
        ? Number(sport)
        : null;
  return { season, sportId, group };
}

/** A row a load rejects, with its reason. */
export interface BatchReject {
  entity: string;
  reason: string;
  raw: unknown;
  /** Season lines only: where the line belongs and why it was rejected, for the breaker and the quarantine report. */
  cell?: CellKey;
  cause?: RejectCause;
}

export interface ParsedBatch {
  hitting: ParsedStatSplits;
  pitching: ParsedStatSplits;
  bios: PlayerBio[];
  teams: ParsedTeams[];
  picks: DraftPick[];
  /** Rows rejected by shape checks and parsing, in the order met. */
  rejects: BatchReject[];
  /** Stats splits rejected by shape checks (before parsing, so not in the parse summaries). */
  shapeRejected: number;
  /** Whether the batch's stats requests asked for a minor level (none in an MLB-only season or a bio refresh). */
  minorsAsked: boolean;
}

/** Sorts, shape-checks and parses the responses of a batch of `season`. */
export function parseBatchResponses(responses: readonly { url: string; body: unknown }[], season: number): ParsedBatch {
  const rejects: BatchReject[] = [];
  const rejectAs = (entity: string) => (r: ParseReject) => rejects.push({ ...r, entity });
  const splits: Record<StatGroup, unknown[]> = { hitting: [], pitching: [] };
  const people: unknown[] = [];
  const teams: unknown[] = [];
  const drafts: unknown[] = [];
  let shapeRejected = 0;
  let minorsAsked = false;
  for (const { url, body } of responses) {
    const { kind, group } = kindOf(url);
    if (kind === 'stats') {
      minorsAsked ||= asksForMinors(url);
      for (const split of statsSplitsOf(body, group)) {
        const kind = group === 'hitting' ? 'hittingSplit' : 'pitchingSplit';
        const issues = shapeIssues(kind, split);
        const [first] = issues;
        if (first) {
          shapeRejected += 1;
          rejects.push({
            entity: 'season_line',
            reason: `shape: ${describeShapeIssues(kind, issues)}`,
            raw: split,
            cell: cellOfRaw(split, season, group),
            cause: causeOfShapeIssue(first),
          });
        } else splits[group].push(split);
      }
    } else if (kind === 'people') people.push(body);
    else if (kind === 'teams') teams.push(body);
    else if (kind === 'draft') drafts.push(body);
  }
  // Pages are parsed together: a traded player's aggregate row and his per-team rows may sit on different pages.
  const hitting = parseStatSplits(splits.hitting, 'hitting');
  const pitching = parseStatSplits(splits.pitching, 'pitching');
  for (const [group, parsedGroup] of [
    ['hitting', hitting],
    ['pitching', pitching],
  ] as const) {
    for (const r of parsedGroup.rejects) {
      rejects.push({
        ...r,
        entity: 'season_line',
        cell: cellOfRaw(r.raw, season, group),
        cause: causeOfParseReason(r.reason),
      });
    }
  }
  const bios = people.flatMap((b) => parsePeople(b, rejectAs('player')));
  const orgs = teams.map((b) => parseTeams(b, { season, onReject: rejectAs('team') }));
  const picks = drafts.flatMap((b) => parseDraft(b, rejectAs('draft_pick')));
  return { hitting, pitching, bios, teams: orgs, picks, rejects, shapeRejected, minorsAsked };
}
