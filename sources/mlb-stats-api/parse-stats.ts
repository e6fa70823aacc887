/**
 * parseStatSplits: Stats API stat splits → SeasonLine[] (one per player, season, level and group) plus rejects.
 *
 * Accepts a `/stats` body, a `/people/{id}/stats` body, a `/people?hydrate=stats(...)` body, or a bare array of
 * splits. Only season and yearByYear containers of the requested group are read (career and advanced ones are skipped).
 * Quirks handled: a traded player's aggregate row (no `team`, `numTeams` >= 2) is kept and his per-team rows dropped
 * (without an aggregate the per-team rows are summed); byte-identical duplicate rows count once; a split naming its
 * player `person` or giving `season` as a number is read the same. Every row that cannot become a line is returned in
 * `rejects` with a precise reason and the raw row: nothing is dropped silently.
 */
import type { SeasonLine, StatGroup } from '../../lib/domain.ts';
import { readCounts } from './parse-counts.ts';
import type { ParseReject } from './parse-reject.ts';

export interface ParsedStatSplits {
  lines: SeasonLine[];
  rejects: ParseReject[];
  /**
   * Rows read, identical duplicates skipped, and per-team rows folded into one line (replaced by their aggregate,
   * or summed when the source sent none): splits = lines + rejects + duplicates + superseded.
   */
  summary: { splits: number; duplicates: number; superseded: number };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

interface Candidate {
  raw: unknown;
  key: string;
  playerId: number;
  season: number;
  sportId: number;
  teamId: number | null;
  aggregate: boolean;
  line: SeasonLine;
}

const READ_TYPES = new Set(['season', 'yearByYear']);

/** Splits of the requested group, each with the player id its container implies (hydrated people carry it outside). */
function collectSplits(body: unknown, group: StatGroup): { split: unknown; playerId: number | null }[] {
  if (Array.isArray(body)) return body.map((split) => ({ split, playerId: null }));
  if (!isObj(body)) return [];
  const fromContainers = (containers: unknown, playerId: number | null) =>
    (Array.isArray(containers) ? containers : []).flatMap((c) => {
      if (!isObj(c) || !Array.isArray(c.splits)) return [];
      const g = isObj(c.group) ? c.group.displayName : undefined;
      const t = isObj(c.type) ? c.type.displayName : undefined;
      if ((g !== undefined && g !== group) || (typeof t === 'string' && !READ_TYPES.has(t))) return [];
      return c.splits.map((split: unknown) => ({ split, playerId }));
    });
  if (Array.isArray(body.people)) {
    return body.people.flatMap((p: unknown) =>
      isObj(p) ? fromContainers(p.stats, typeof p.id === 'number' ? p.id : null) : [],
    );
  }
  return fromContainers(body.stats, null);
}

function positiveInt(v: unknown): number | null {
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : null;
}

function toCandidate(split: unknown, contextPlayerId: number | null, group: StatGroup): Candidate | ParseReject {
  if (!isObj(split)) return { reason: 'split is not an object', raw: split };
  const who = isObj(split.player) ? split.player : isObj(split.person) ? split.person : null;
  const playerId = positiveInt(who?.id) ?? contextPlayerId;
  if (playerId === null) return { reason: 'missing player id (player.id)', raw: split };
  const season = positiveInt(split.season);
  if (season === null) return { reason: `missing or invalid season ${JSON.stringify(split.season)}`, raw: split };
  const sportId = positiveInt(isObj(split.sport) ? split.sport.id : undefined);
  if (sportId === null) return { reason: 'missing sport.id', raw: split };
  const teamId = isObj(split.team) ? positiveInt(split.team.id) : null;
  const numTeams = typeof split.numTeams === 'number' ? split.numTeams : null;
  const where = `player ${playerId}, season ${season}, sport ${sportId}`;
  const base = { playerId, season, sportId, teamId };
  let line: SeasonLine;
  if (group === 'hitting') {
    const r = readCounts(split.stat, 'hitting');
    if (!r.ok) return { reason: `${r.reason} (${where})`, raw: split };
    line = { ...base, group: 'hitting', stats: r.counts };
  } else {
    const r = readCounts(split.stat, 'pitching');
    if (!r.ok) return { reason: `${r.reason} (${where})`, raw: split };
    line = { ...base, group: 'pitching', stats: r.counts };
  }
  return {
    raw: split,
    key: `${playerId}:${season}:${sportId}`,
    playerId,
    season,
    sportId,
    teamId,
    aggregate: teamId === null && (numTeams ?? 2) >= 2,
    line,
  };
}

function addStats<T extends object>(a: T, b: T): T {
  const out = { ...a } as Record<string, number>;
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + (v as number);
  return out as T;
}

/** One line from a player's per-team rows at a level when no aggregate row came with them. */
function sumLines(lines: readonly SeasonLine[], teamId: number | null): SeasonLine {
  const [first, ...rest] = lines;
  if (!first) throw new Error('sumLines needs at least one line');
  let sum: SeasonLine = { ...first, teamId };
  for (const l of rest) {
    if (sum.group === 'hitting' && l.group === 'hitting') sum = { ...sum, stats: addStats(sum.stats, l.stats) };
    else if (sum.group === 'pitching' && l.group === 'pitching') sum = { ...sum, stats: addStats(sum.stats, l.stats) };
  }
  return sum;
}

export function parseStatSplits(body: unknown, group: StatGroup): ParsedStatSplits {
  const rejects: ParseReject[] = [];
  const seen = new Set<string>();
  const byKey = new Map<string, Candidate[]>();
  let splits = 0;
  let duplicates = 0;
  for (const { split, playerId } of collectSplits(body, group)) {
    splits += 1;
    const fingerprint = `${playerId ?? ''}|${JSON.stringify(split)}`;
    if (seen.has(fingerprint)) {
      duplicates += 1;
      continue;
    }
    seen.add(fingerprint);
    const c = toCandidate(split, playerId, group);
    if (!('key' in c)) {
      rejects.push(c);
      continue;
    }
    const list = byKey.get(c.key);
    if (list) list.push(c);
    else byKey.set(c.key, [c]);
  }
  const lines: SeasonLine[] = [];
  let superseded = 0;
  for (const candidates of byKey.values()) {
    const teamRows = candidates.filter((c) => !c.aggregate);
    const lastTeam = teamRows.at(-1)?.teamId ?? null;
    const [aggregate, ...extraAggregates] = candidates.filter((c) => c.aggregate);
    for (const extra of extraAggregates)
      rejects.push({
        reason: `second, different aggregate row for ${extra.key} (player:season:sport)`,
        raw: extra.raw,
      });
    if (aggregate) {
      superseded += teamRows.length;
      lines.push({ ...aggregate.line, teamId: lastTeam });
      continue;
    }
    // No aggregate: one row per team is expected; a second, different row for the same team is a conflict.
    const perTeam = new Map<number | null, Candidate>();
    for (const c of teamRows) {
      if (perTeam.has(c.teamId))
        rejects.push({
          reason: `conflicting rows for ${c.key} (player:season:sport) and team ${c.teamId}`,
          raw: c.raw,
        });
      else perTeam.set(c.teamId, c);
    }
    const kept = [...perTeam.values()];
    // Summed per-team rows become one line: count the extra rows as merged, so splits always add up.
    superseded += Math.max(0, kept.length - 1);
    lines.push(
      kept.length === 1 && kept[0]
        ? kept[0].line
        : sumLines(
            kept.map((c) => c.line),
            lastTeam,
          ),
    );
  }
  return { lines, rejects, summary: { splits, duplicates, superseded } };
}
