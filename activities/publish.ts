/**
 * Publishing: the ranking snapshot (the site's one input) written from a prediction run with the prospect cards the
 * API serves (published_prospects, served once the site switches and announced on PUBLISHED_CHANNEL), then the site built
 * into a new folder and switched in atomically, so readers never see a half-built site. Each attempt builds into a
 * folder of its own, and only the newest attempt may switch the site (activities/attempt-fence.ts): an attempt that
 * timed out but is still building can neither overwrite the retry's folder nor switch the site after it.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { dataPaths } from '../lib/config.ts';
import { buildSite } from '../site/build.ts';
import { claimSiteSwitch, currentAttempt, withSiteFence } from './attempt-fence.ts';
import { activityLog, heartbeat, type ActivityDeps } from './context.ts';
import { buildSnapshot } from './snapshot.ts';
import { recordRankMoves } from '../db/notifications.ts';
import {
  analyzePublishedProspects,
  markPublished,
  replacePublishedProspects,
  snapshotBefore,
  upsertRankingSnapshot,
} from '../db/rankings.ts';
import { withTransaction } from '../lib/db.ts';

/** What counts as a significant rank move worth a notification. */
export const RANK_MOVE = { places: 25, top: 100 } as const;
/** Site builds kept besides the one being served, for a quick manual rollback. */
const KEEP_BUILDS = 3;

/** Writes `file` so that a reader sees the old content or the new, never a partial one. */
async function writeAtomically(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  // Unique per call: two attempts in one worker process may write the same file at once.
  const tmp = `${file}.tmp-${randomUUID()}`;
  await writeFile(tmp, content);
  await rename(tmp, file);
}

export function createPublishActivities({ pool, config, log }: ActivityDeps) {
  const paths = dataPaths(config);
  return {
    async publishSnapshot(input: { predictionRunId: string; rankingSnapshotId: string }) {
      const alog = activityLog(log);
      const snapshot = await buildSnapshot(pool, config, input);
      const snapshotPath = path.join(paths.snapshots, `${input.rankingSnapshotId}.json`);
      await writeAtomically(snapshotPath, JSON.stringify(snapshot));
      // The snapshot row and its prospect cards (what the API serves once it is published) land together.
      await withTransaction(pool, async (client) => {
        await upsertRankingSnapshot(client, {
          snapshotId: input.rankingSnapshotId,
          predictionRunId: input.predictionRunId,
          path: snapshotPath,
          prospectCount: snapshot.prospects.length,
        });
        await replacePublishedProspects(client, input.rankingSnapshotId, snapshot.prospects);
      });
      await analyzePublishedProspects(pool);
      alog.info(
        { rankingSnapshotId: input.rankingSnapshotId, prospects: snapshot.prospects.length, snapshotPath },
        'snapshot written',
      );
      return { rankingSnapshotId: input.rankingSnapshotId, snapshotPath, prospects: snapshot.prospects.length };
    },

    /**
     * Notification records for prospects whose rank moved significantly since the previous snapshot:
     * at least `RANK_MOVE.places` places, or into or out of the top `RANK_MOVE.top`.
     */
    async recordRankMoves(input: {
      rankingSnapshotId: string;
    }): Promise<{ notifications: number; previous: string | null }> {
      const previous = await snapshotBefore(pool, input.rankingSnapshotId);
      if (!previous) return { notifications: 0, previous: null };
      const notifications = await recordRankMoves(pool, {
        snapshotId: input.rankingSnapshotId,
        previousRunId: previous.predictionRunId,
        places: RANK_MOVE.places,
        top: RANK_MOVE.top,
      });
      return { notifications, previous: previous.snapshotId };
    },

    async publishSite(input: {
      rankingSnapshotId: string;
      snapshotPath: string;
    }): Promise<{ siteDir: string; pages: number }> {
      const alog = activityLog(log);
      const key = currentAttempt();
      // This attempt's own folder: an earlier attempt may still be building into its own.
      const tag = `${createHash('sha256').update(key.activity).digest('hex').slice(0, 10)}-a${key.attempt}`;
      const outDir = path.join(paths.siteBuilds, `${input.rankingSnapshotId}-${tag}`);
      await claimSiteSwitch(pool, input.rankingSnapshotId, key);
      await rm(outDir, { recursive: true, force: true });
      await mkdir(paths.siteBuilds, { recursive: true });
      const built = await buildSite({
        snapshotPath: input.snapshotPath,
        outDir,
        siteUrl: config.siteUrl,
        onProgress: (line) => heartbeat({ line }),
        // Cancellation, or a timeout Temporal reports on a heartbeat, stops Astro and Pagefind.
        signal: Context.current().cancellationSignal,
      });
      try {
        await withSiteFence(pool, input.rankingSnapshotId, key, async (client) => {
          // Published, and the API told so (on commit: a switch that fails below is never announced).
          await markPublished(client, input.rankingSnapshotId, outDir);
          // Switch atomically, under the fence's row lock: a new symlink renamed over the old one.
          const link = `${paths.siteCurrent}.next-${tag}`;
          await rm(link, { force: true });
          await symlink(outDir, link);
          await rename(link, paths.siteCurrent);
        });
      } catch (error) {
        // A newer attempt owns the switch: this build is never served, so it goes.
        if (error instanceof ApplicationFailure && error.type === 'SupersededAttempt')
          await rm(outDir, { recursive: true, force: true });
        throw error;
      }
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
    entries
      .filter((e) => e.isDirectory())
      .map(async (e) => {
        const full = path.join(buildsDir, e.name);
        return { full, mtimeMs: (await stat(full)).mtimeMs };
      }),
  );
  dirs.sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const { full } of dirs.slice(KEEP_BUILDS)) {
    if (full !== served) await rm(full, { recursive: true, force: true });
  }
}
