/**
 * Ingestion in two steps joined by the landing zone: `fetchSeason` stores every raw response of a season
 * (compressed, keyed by URL and fetch time); `loadSeason` parses and validates them, loads what is sound and
 * quarantines the rest with its reason. Both are idempotent, so Temporal may retry either freely.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip as gunzipCb, gzip as gzipCb } from 'node:zlib';
import { ApplicationFailure } from '@temporalio/activity';
import { SPORT_IDS, minorSportIds, type SeasonLine, type StatGroup } from '../lib/domain.ts';
import { createMlbStatsClient } from '../sources/mlb-stats-api/client.ts';
import { parseDraft, parsePeople, parseStatSplits, parseTeams, type ParseReject } from '../sources/mlb-stats-api/parse.ts';
import { activityLog, heartbeat, type ActivityDeps } from './context.ts';
import { insertRows, upsertClause } from './sql.ts';

const gzip = promisify(gzipCb);
const gunzip = promisify(gunzipCb);
export const MLB_SOURCE = 'mlb-stats-api';

interface RawResponse {
  url: string;
  status: number;
  fetchedAt: Date;
  body: unknown;
}

const STAT_COLUMNS = [
  'season', 'player_id', 'sport_id', 'stat_group', 'team_id', 'games', 'hits', 'home_runs', 'base_on_balls',
  'hit_by_pitch', 'strike_outs', 'plate_appearances', 'at_bats', 'doubles', 'triples', 'intentional_walks',
  'stolen_bases', 'caught_stealing', 'sac_flies', 'games_started', 'outs', 'batters_faced', 'earned_runs',
  'source', 'batch_id',
] as const;

function statRow(line: SeasonLine, batchId: number): unknown[] {
  const common = [line.season, line.playerId, line.sportId, line.group, line.teamId];
  if (line.group === 'hitting') {
    const h = line.stats;
    return [...common, h.games, h.hits, h.homeRuns, h.baseOnBalls, h.hitByPitch, h.strikeOuts, h.plateAppearances, h.atBats,
      h.doubles, h.triples, h.intentionalWalks, h.stolenBases, h.caughtStealing, h.sacFlies, null, null, null, null, MLB_SOURCE, batchId];
  }
  const p = line.stats;
  return [...common, p.games, p.hits, p.homeRuns, p.baseOnBalls, p.hitByPitch, p.strikeOuts, null, null, null, null, null, null, null,
    null, p.gamesStarted, p.outs, p.battersFaced, p.earnedRuns, MLB_SOURCE, batchId];
}

/** What kind of response a landing-zone URL holds. */
function kindOf(url: string): { kind: 'stats'; group: StatGroup } | { kind: 'people' | 'teams' | 'draft' | 'other' } {
  const u = new URL(url);
  if (u.pathname.endsWith('/stats')) return { kind: 'stats', group: u.searchParams.get('group') === 'pitching' ? 'pitching' : 'hitting' };
  if (u.pathname.endsWith('/people')) return { kind: 'people' };
  if (u.pathname.endsWith('/teams')) return { kind: 'teams' };
  if (/\/draft\/\d+$/.test(u.pathname)) return { kind: 'draft' };
  return { kind: 'other' };
}

function splitsOf(body: unknown): unknown[] {
  const stats = (body as { stats?: { splits?: unknown[] }[] } | null)?.stats;
  return Array.isArray(stats) ? stats.flatMap((s) => (Array.isArray(s?.splits) ? s.splits : [])) : [];
}

export function createIngestActivities({ pool, config, log, mlbBaseUrl }: ActivityDeps) {
  const remote = !/^https?:\/\/(127\.|localhost|\[::1\])/.test(mlbBaseUrl);
  const requestsPerSecond = config.mlb.requestsPerSecond ?? (remote ? 1 : 0);

  return {
    async fetchSeason(input: { season: number }): Promise<{ batchId: number; requests: number }> {
      const alog = activityLog(log);
      const { season } = input;
      const { rows } = await pool.query<{ batch_id: number }>(
        'INSERT INTO ingest_batches (source, season) VALUES ($1, $2) RETURNING batch_id', [MLB_SOURCE, season]);
      const batchId = rows[0]!.batch_id;
      const pending: RawResponse[] = [];
      const client = createMlbStatsClient({
        baseUrl: mlbBaseUrl,
        requestsPerSecond,
        timeoutMs: config.mlb.timeoutMs,
        maxRetries: config.mlb.maxRetries,
        onResponse: (r) => { pending.push({ url: r.url, status: r.status, fetchedAt: r.fetchedAt, body: r.body }); },
      });
      const flush = async () => {
        const batch = pending.splice(0);
        const values = await Promise.all(batch.map(async (r) => {
          const json = JSON.stringify(r.body);
          return [batchId, MLB_SOURCE, r.url, r.fetchedAt, r.status, await gzip(json), createHash('sha256').update(json).digest('hex')];
        }));
        const conn = await pool.connect();
        try {
          await insertRows(conn, 'raw_responses', ['batch_id', 'source', 'url', 'fetched_at', 'status', 'body_gzip', 'body_sha256'], values,
            'ON CONFLICT (url, fetched_at) DO NOTHING');
        } finally {
          conn.release();
        }
        heartbeat({ season, requests: client.requestCount() });
      };
      const sportIds = [SPORT_IDS.MLB, ...minorSportIds(season)];
      await client.teams({ season, sportIds });
      await flush();
      const playerIds = new Set<number>();
      for (const group of ['hitting', 'pitching'] as const) {
        // Ids come from the parser, which knows every shape the API has used (a season once said `person`).
        const splits = await client.seasonStats({ season, group, sportIds });
        for (const line of parseStatSplits(splits, group).lines) playerIds.add(line.playerId);
        await flush();
      }
      await client.people([...playerIds].sort((a, b) => a - b));
      await flush();
      await client.draft(season);
      await flush();
      const requests = client.requestCount();
      await pool.query('UPDATE ingest_batches SET requests = $2 WHERE batch_id = $1', [batchId, requests]);
      alog.info({ season, batchId, requests, players: playerIds.size }, 'season fetched into the landing zone');
      return { batchId, requests };
    },

    async loadSeason(input: { batchId: number; season: number }): Promise<{ rowsLoaded: number; rowsQuarantined: number }> {
      const alog = activityLog(log);
      const { rows: responses } = await pool.query<{ url: string; body_gzip: Buffer }>(
        'SELECT url, body_gzip FROM raw_responses WHERE batch_id = $1 ORDER BY response_id', [input.batchId]);
      if (responses.length === 0) {
        throw ApplicationFailure.nonRetryable(`landing zone holds no response for batch ${input.batchId}`, 'EmptyBatch');
      }
      const splits: Record<StatGroup, unknown[]> = { hitting: [], pitching: [] };
      const people: unknown[] = [];
      const teams: unknown[] = [];
      const drafts: unknown[] = [];
      for (const r of responses) {
        const body: unknown = JSON.parse((await gunzip(r.body_gzip)).toString('utf8'));
        const k = kindOf(r.url);
        if (k.kind === 'stats') splits[k.group].push(...splitsOf(body));
        else if (k.kind === 'people') people.push(body);
        else if (k.kind === 'teams') teams.push(body);
        else if (k.kind === 'draft') drafts.push(body);
      }
      // Pages are parsed together: a traded player's aggregate row and his per-team rows may sit on different pages.
      const hitting = parseStatSplits({ stats: [{ splits: splits.hitting }] }, 'hitting');
      const pitching = parseStatSplits({ stats: [{ splits: splits.pitching }] }, 'pitching');
      const rejects: { entity: string; reason: string; raw: unknown }[] = [
        ...hitting.rejects.map((r) => ({ ...r, entity: 'season_line' })),
        ...pitching.rejects.map((r) => ({ ...r, entity: 'season_line' })),
      ];
      const rejectAs = (entity: string) => (r: ParseReject) => rejects.push({ ...r, entity });
      const bios = people.flatMap((b) => parsePeople(b, rejectAs('player')));
      const orgs = teams.map((b) => parseTeams(b, { season: input.season, onReject: rejectAs('team') }));
      const picks = drafts.flatMap((b) => parseDraft(b, rejectAs('draft_pick')));
      const lines = [...hitting.lines, ...pitching.lines];

      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const organizations = [...new Map(orgs.flatMap((o) => o.organizations).map((o) => [o.orgId, o])).values()];
        await insertRows(client, 'organizations', ['org_id', 'name', 'abbreviation'],
          organizations.map((o) => [o.orgId, o.name, o.abbreviation]), upsertClause(['org_id'], ['org_id', 'name', 'abbreviation']));
        const known = new Set(organizations.map((o) => o.orgId));
        const affiliates = [...new Map(orgs.flatMap((o) => o.affiliates).map((a) => [`${a.teamId}:${a.season}`, a])).values()];
        await insertRows(client, 'affiliates', ['team_id', 'season', 'sport_id', 'name', 'org_id'],
          affiliates.map((a) => [a.teamId, a.season, a.sportId, a.name, a.orgId !== null && known.has(a.orgId) ? a.orgId : null]),
          upsertClause(['team_id', 'season'], ['team_id', 'season', 'sport_id', 'name', 'org_id']));
        const players = [...new Map(bios.map((b) => [b.playerId, b])).values()];
        const playerColumns = ['player_id', 'full_name', 'birth_date', 'primary_position', 'bat_side', 'pitch_hand', 'mlb_debut_date'];
        await insertRows(client, 'players', playerColumns,
          players.map((p) => [p.playerId, p.fullName, p.birthDate, p.primaryPosition, p.batSide, p.pitchHand, p.mlbDebutDate]),
          upsertClause(['player_id'], playerColumns));
        await insertRows(client, 'player_season_stats', STAT_COLUMNS, lines.map((l) => statRow(l, input.batchId)),
          upsertClause(['season', 'player_id', 'sport_id', 'stat_group'], STAT_COLUMNS));
        const pickColumns = ['player_id', 'year', 'round', 'pick_number', 'org_id', 'school'];
        await insertRows(client, 'draft_picks', pickColumns,
          [...new Map(picks.map((d) => [`${d.playerId}:${d.year}`, d])).values()].map((d) => [d.playerId, d.year, d.round, d.pickNumber, d.orgId, d.school]),
          upsertClause(['player_id', 'year'], pickColumns));
        // Re-loading a batch replaces its quarantine entries instead of duplicating them.
        await client.query('DELETE FROM quarantine WHERE batch_id = $1', [input.batchId]);
        await insertRows(client, 'quarantine', ['batch_id', 'source', 'entity', 'reason', 'payload'],
          rejects.map((r) => [input.batchId, MLB_SOURCE, r.entity, r.reason, JSON.stringify(r.raw ?? null)]));
        await client.query('UPDATE ingest_batches SET rows_loaded = $2, rows_quarantined = $3, finished_at = now() WHERE batch_id = $1',
          [input.batchId, lines.length, rejects.length]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
      alog.info({ batchId: input.batchId, rowsLoaded: lines.length, rowsQuarantined: rejects.length, players: bios.length }, 'season loaded');
      return { rowsLoaded: lines.length, rowsQuarantined: rejects.length };
    },
  };
}
