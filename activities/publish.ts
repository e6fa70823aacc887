/**
 * Publishing: the ranking snapshot (the site's one input) written from a prediction run, then the site built
 * into a new folder and switched in atomically, so readers never see a half-built site.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readlink, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dataPaths } from '../lib/config.ts';
import { levelOfSport, levelOrdinal, type Level } from '../lib/domain.ts';
import { SNAPSHOT_FORMAT, SnapshotSchema, type Prospect, type Snapshot } from '../lib/snapshot.ts';
import { buildSite } from '../site/build.ts';
import { FEATURE_CATALOG } from '../training/feature-catalog.ts';
import { activityLog, heartbeat, type ActivityDeps } from './context.ts';
import { toSeasonLine } from './history.ts';

const TOP_FACTORS = 8;
/** What counts as a significant rank move worth a notification. */
export const RANK_MOVE = { places: 25, top: 100 } as const;
/** Site builds kept besides the one being served, for a quick manual rollback. */
const KEEP_BUILDS = 3;

export function slugify(name: string, playerId: number): string {
  const base = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return `${base || 'player'}-${playerId}`;
}

function ageOn(birthDate: string | null, season: number): number | null {
  if (!birthDate) return null;
  const years = (Date.UTC(season, 6, 1) - Date.parse(`${birthDate}T00:00:00Z`)) / (365.2425 * 86_400_000);
  return Math.round(years * 10) / 10;
}

const rate = (num: number, den: number) => (den > 0 ? num / den : null);

/** Writes `file` so that a reader sees the old content or the new, never a partial one. */
async function writeAtomically(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, content);
  await rename(tmp, file);
}

export function createPublishActivities({ pool, config, log }: ActivityDeps) {
  const paths = dataPaths(config);
  return {
    async publishSnapshot(input: { predictionRunId: string; rankingSnapshotId: string }) {
      const alog = activityLog(log);
      const { rows: runs } = await pool.query(
        `SELECT r.as_of_season, m.model_version, m.created_at, m.metrics, m.feature_names
         FROM prediction_runs r JOIN models m USING (model_version) WHERE r.prediction_run_id = $1`,
        [input.predictionRunId],
      );
      const run = runs[0];
      if (!run) throw new Error(`prediction run ${input.predictionRunId} does not exist`);
      const asOf: number = run.as_of_season;
      const { rows: predictions } = await pool.query(
        `SELECT p.player_id, p.probability, p.confidence, p.base_value, p.shap, p.rank,
                pl.full_name, to_char(pl.birth_date, 'YYYY-MM-DD') AS birth_date, pl.primary_position
         FROM predictions p JOIN players pl USING (player_id)
         WHERE p.prediction_run_id = $1 ORDER BY p.rank`,
        [input.predictionRunId],
      );
      const ids = predictions.map((p) => p.player_id as number);
      const { rows: lineRows } = await pool.query(
        `SELECT s.*, a.org_id, o.name AS org_name, o.abbreviation AS org_abbreviation
         FROM player_season_stats s
         LEFT JOIN affiliates a ON a.team_id = s.team_id AND a.season = s.season
         LEFT JOIN organizations o ON o.org_id = a.org_id
         WHERE s.player_id = ANY($1) AND s.season <= $2 ORDER BY s.season, s.sport_id`,
        [ids, asOf],
      );
      const linesByPlayer = Map.groupBy(lineRows, (r) => r.player_id as number);
      const { rows: features } = await pool.query(
        `SELECT f.player_id, f.features FROM player_features f JOIN prediction_runs r USING (snapshot_id)
         WHERE r.prediction_run_id = $1 AND f.as_of_season = $2`,
        [input.predictionRunId, asOf],
      );
      const featuresByPlayer = new Map(features.map((f) => [f.player_id as number, f.features as number[]]));
      const labelOf = new Map(FEATURE_CATALOG.map((f) => [f.name as string, f.label]));
      const featureNames: string[] = run.feature_names;

      const prospects: Prospect[] = predictions.map((p) => {
        const lines = linesByPlayer.get(p.player_id) ?? [];
        const current = lines
          .filter((l) => l.season === asOf && l.sport_id !== 1)
          .sort((a, b) => levelOrdinal(levelOfSport(b.sport_id) ?? 'ROK') - levelOrdinal(levelOfSport(a.sport_id) ?? 'ROK'))[0];
        const values = featuresByPlayer.get(p.player_id) ?? [];
        const shap: number[] = p.shap;
        const factors = shap
          .map((contribution, i) => ({ feature: featureNames[i]!, contribution, value: values[i] ?? null }))
          .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
          .slice(0, TOP_FACTORS)
          .map((f) => ({ ...f, label: labelOf.get(f.feature) ?? f.feature, value: f.value === null || Number.isNaN(f.value) ? null : f.value }));
        return {
          playerId: p.player_id,
          rank: p.rank,
          slug: slugify(p.full_name, p.player_id),
          name: p.full_name,
          organization: current?.org_id ? { id: current.org_id, name: current.org_name, abbreviation: current.org_abbreviation } : null,
          position: p.primary_position ?? (current?.stat_group === 'pitching' ? 'P' : 'UT'),
          isPitcher: current?.stat_group === 'pitching',
          level: (current ? levelOfSport(current.sport_id) : undefined) ?? 'ROK',
          age: ageOn(p.birth_date, asOf),
          probability: p.probability,
          confidence: p.confidence,
          baseValue: p.base_value,
          factors,
          stats: lines.map((row) => {
            const line = toSeasonLine(row);
            const level: Level | 'MLB' = levelOfSport(line.sportId) ?? 'ROK';
            if (line.group === 'hitting') {
              const h = line.stats;
              return {
                season: line.season, level, group: 'hitting' as const, games: h.games, battersOrPa: h.plateAppearances, innings: null,
                strikeoutRate: rate(h.strikeOuts, h.plateAppearances), walkRate: rate(h.baseOnBalls, h.plateAppearances),
                powerRate: rate(h.doubles + 2 * h.triples + 3 * h.homeRuns, h.atBats), average: rate(h.hits, h.atBats),
              };
            }
            const s = line.stats;
            return {
              season: line.season, level, group: 'pitching' as const, games: s.games, battersOrPa: s.battersFaced,
              innings: Math.round((s.outs / 3) * 100) / 100, strikeoutRate: rate(s.strikeOuts, s.battersFaced),
              walkRate: rate(s.baseOnBalls, s.battersFaced), powerRate: rate(s.homeRuns, s.battersFaced), average: null,
            };
          }),
        };
      });
      const snapshot: Snapshot = SnapshotSchema.parse({
        format: SNAPSHOT_FORMAT,
        snapshotId: input.rankingSnapshotId,
        generatedAt: new Date().toISOString(),
        asOfSeason: asOf,
        model: {
          version: run.model_version,
          trainedAt: new Date(run.created_at).toISOString(),
          metrics: Object.fromEntries(Object.entries(run.metrics as Record<string, unknown>).filter(([, v]) => typeof v === 'number' && Number.isFinite(v))),
        },
        prospects,
      });
      const snapshotPath = path.join(paths.snapshots, `${input.rankingSnapshotId}.json`);
      await writeAtomically(snapshotPath, JSON.stringify(snapshot));
      await pool.query(
        `INSERT INTO ranking_snapshots (snapshot_id, prediction_run_id, path, prospect_count) VALUES ($1, $2, $3, $4)
         ON CONFLICT (snapshot_id) DO UPDATE SET path = EXCLUDED.path, prospect_count = EXCLUDED.prospect_count, generated_at = now()`,
        [input.rankingSnapshotId, input.predictionRunId, snapshotPath, prospects.length],
      );
      alog.info({ rankingSnapshotId: input.rankingSnapshotId, prospects: prospects.length, snapshotPath }, 'snapshot written');
      return { rankingSnapshotId: input.rankingSnapshotId, snapshotPath, prospects: prospects.length };
    },

    /**
     * Notification records for prospects whose rank moved significantly since the previous snapshot:
     * at least `RANK_MOVE.places` places, or into or out of the top `RANK_MOVE.top`.
     */
    async recordRankMoves(input: { rankingSnapshotId: string }): Promise<{ notifications: number; previous: string | null }> {
      const { rows: prev } = await pool.query<{ snapshot_id: string; prediction_run_id: string }>(
        `SELECT p.snapshot_id, p.prediction_run_id FROM ranking_snapshots p, ranking_snapshots c
         WHERE c.snapshot_id = $1 AND p.snapshot_id <> c.snapshot_id AND p.generated_at < c.generated_at
         ORDER BY p.generated_at DESC LIMIT 1`,
        [input.rankingSnapshotId],
      );
      const previous = prev[0];
      if (!previous) return { notifications: 0, previous: null };
      const { rowCount } = await pool.query(
        `INSERT INTO notifications (kind, player_id, ranking_snapshot_id, previous_rank, new_rank, details)
         SELECT 'rank_move', cur.player_id, $1, old.rank, cur.rank,
                jsonb_build_object('previousProbability', old.probability, 'probability', cur.probability)
         FROM ranking_snapshots c
         JOIN predictions cur ON cur.prediction_run_id = c.prediction_run_id
         LEFT JOIN predictions old ON old.prediction_run_id = $2 AND old.player_id = cur.player_id
         WHERE c.snapshot_id = $1
           AND (old.rank IS NULL AND cur.rank <= $4
                OR abs(cur.rank - old.rank) >= $3
                OR (old.rank <= $4) <> (cur.rank <= $4))
         ON CONFLICT (kind, player_id, ranking_snapshot_id) DO NOTHING`,
        [input.rankingSnapshotId, previous.prediction_run_id, RANK_MOVE.places, RANK_MOVE.top],
      );
      return { notifications: rowCount ?? 0, previous: previous.snapshot_id };
    },

    async publishSite(input: { rankingSnapshotId: string; snapshotPath: string }): Promise<{ siteDir: string; pages: number }> {
      const alog = activityLog(log);
      const outDir = path.join(paths.siteBuilds, input.rankingSnapshotId);
      // A retried attempt starts clean; the folder is not served until the switch below.
      await rm(outDir, { recursive: true, force: true });
      await mkdir(paths.siteBuilds, { recursive: true });
      const built = await buildSite({ snapshotPath: input.snapshotPath, outDir, onProgress: (line) => heartbeat({ line }) });
      // Switch atomically: a new symlink renamed over the old one.
      const link = `${paths.siteCurrent}.next-${process.pid}`;
      await rm(link, { force: true });
      await symlink(outDir, link);
      await rename(link, paths.siteCurrent);
      await pool.query('UPDATE ranking_snapshots SET site_path = $2, published_at = now() WHERE snapshot_id = $1', [input.rankingSnapshotId, outDir]);
      await pruneBuilds(paths.siteBuilds, outDir);
      alog.info({ siteDir: outDir, pages: built.pages, ms: built.durationMs }, 'site published');
      return { siteDir: outDir, pages: built.pages };
    },
  };
}

/** Removes old builds, keeping the served one and the newest few. */
async function pruneBuilds(buildsDir: string, served: string): Promise<void> {
  const entries = await readdir(buildsDir, { withFileTypes: true });
  const dirs = await Promise.all(
    entries.filter((e) => e.isDirectory()).map(async (e) => {
      const full = path.join(buildsDir, e.name);
      return { full, mtimeMs: (await stat(full)).mtimeMs };
    }),
  );
  dirs.sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const { full } of dirs.slice(KEEP_BUILDS)) {
    if (full !== served) await rm(full, { recursive: true, force: true });
  }
}

export async function currentSiteDir(config: ActivityDeps['config']): Promise<string | undefined> {
  const link = dataPaths(config).siteCurrent;
  return existsSync(link) ? readlink(link) : undefined;
}
