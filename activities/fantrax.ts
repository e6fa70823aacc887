/**
 * Activities of the Fantrax sync and the recommendations: fetch the user's leagues (opening his sealed Secret ID),
 * sync one league (info and rosters, with the player ids fetched once per sync; match the rostered players; store
 * the rosters of this sync), close a sync, and recompute recommendations for one user or every linked user (after
 * each publication). A Secret ID Fantrax refuses, or one no key of the keyring opens any more, is a non-retryable
 * failure that marks the link as needing a reconnect; Fantrax being down or rate limiting is retried.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { finishSync, replaceLeagues, setLeagueStatus, startSync, storeRosters, syncById } from '../db/fantrax-syncs.ts';
import { linkedUserIds, linkOf, lockLink, markNeedsReconnect, recordLinkSync } from '../db/fantrax-links.ts';
import { matchCandidates, upsertMatches } from '../db/fantrax-matches.ts';
import { adviceSnapshot, recomputeUserRecommendations } from '../db/recommendations.ts';
import {
  fantraxClientFromConfig,
  FantraxError,
  FantraxRateLimitedError,
  InaccessibleLeagueError,
  InvalidSecretIdError,
  type FantraxClient,
  type FantraxPlayerIds,
} from '../fantrax/client.ts';
import { loadKeyring } from '../fantrax/keyring.ts';
import { createMatcher } from '../fantrax/match.ts';
import { createSecretBox, SecretOpenError, type SecretBox } from '../fantrax/secret-box.ts';
import { withTransaction, type Queryable } from '../lib/db.ts';
import { activityLog, type ActivityDeps } from './context.ts';

/** Failure types the workflows branch on. */
export const FANTRAX_FAILURES = {
  invalidSecret: 'FantraxInvalidSecretId',
  notLinked: 'FantraxNotLinked',
  malformed: 'FantraxMalformedResponse',
} as const;

/** The user disconnected while his sync ran: nothing may be written back for a user who asked for it all to go. */
const removedDuringSync = () =>
  ApplicationFailure.create({
    message: 'The Fantrax link was removed during the sync',
    type: FANTRAX_FAILURES.notLinked,
    nonRetryable: true,
  });

/** Fantrax errors as Temporal sees them: refusals and bad data are final; rate limits retry after their wait. */
function asFailure(error: unknown): unknown {
  if (error instanceof FantraxRateLimitedError) {
    return ApplicationFailure.create({
      message: error.message,
      type: 'FantraxRateLimited',
      nextRetryDelay: `${error.retryAfterSeconds}s`,
    });
  }
  if (error instanceof FantraxError && error.kind === 'malformed') {
    return ApplicationFailure.create({ message: error.message, type: FANTRAX_FAILURES.malformed, nonRetryable: true });
  }
  return error;
}

/** Syncs whose player universe is kept at once (the daily sync runs every user's side by side). */
const PLAYER_IDS_CACHED_SYNCS = 32;

export function createFantraxActivities(
  { pool, config, log }: ActivityDeps,
  overrides: { client?: FantraxClient } = {},
) {
  const client = overrides.client ?? fantraxClientFromConfig(config);
  let box: Promise<SecretBox> | undefined;
  const secretBox = () => (box ??= loadKeyring(config).then(createSecretBox));
  const season = () => new Date().getUTCFullYear();
  // The player universe, fetched once per sync (not per league: it is the largest answer and Fantrax rate limits).
  // Per process: a sync's leagues usually run on one worker; another worker fetches it once more. A failed fetch is
  // forgotten so a retry asks again; the sync's end (or the bound) drops it.
  const playerIdsBySync = new Map<number, Promise<FantraxPlayerIds>>();
  const playerIdsOf = (syncId: number): Promise<FantraxPlayerIds> => {
    let ids = playerIdsBySync.get(syncId);
    if (!ids) {
      const fetched = client.getPlayerIds('MLB');
      ids = fetched;
      playerIdsBySync.set(syncId, fetched);
      fetched.catch(() => {
        if (playerIdsBySync.get(syncId) === fetched) playerIdsBySync.delete(syncId);
      });
      if (playerIdsBySync.size > PLAYER_IDS_CACHED_SYNCS) playerIdsBySync.delete(playerIdsBySync.keys().next().value!);
    }
    return ids;
  };

  /**
   * A league's writes in one transaction holding the user's link row: a disconnect during the sync either waits and
   * then removes them, or went first and nothing is written. @returns false when the link or the sync is gone.
   */
  const writeWhileLinked = (
    input: { userId: string; syncId: number },
    write: (tx: Queryable) => Promise<void>,
  ): Promise<boolean> =>
    withTransaction(pool, async (tx) => {
      if (!(await lockLink(tx, input.userId)) || !(await syncById(tx, input.syncId))) return false;
      await write(tx);
      return true;
    });

  return {
    /** Opens a sync row (its rosters are stored under its id). */
    async startFantraxSync(input: { userId: string; workflowId: string }): Promise<{ syncId: number }> {
      return { syncId: await startSync(pool, input.userId, input.workflowId) };
    },

    /** Stores the user's MLB leagues; returns only their ids (the Secret ID never leaves this activity). */
    async fetchFantraxLeagues(input: { userId: string }): Promise<{ leagueIds: string[] }> {
      const link = await linkOf(pool, input.userId);
      if (!link)
        throw ApplicationFailure.create({
          message: 'The user has no Fantrax link',
          type: FANTRAX_FAILURES.notLinked,
          nonRetryable: true,
        });
      let secretId;
      try {
        secretId = (await secretBox()).open(link.sealed, input.userId);
      } catch (error) {
        if (!(error instanceof SecretOpenError)) throw error;
        // Its key left FANTRAX_SECRET_KEYS (or the row was tampered with): no retry opens it; the user must relink.
        const message =
          'The stored Fantrax Secret ID can no longer be read (its key was removed): connect Fantrax again.';
        await markNeedsReconnect(pool, input.userId, message);
        activityLog(log).warn({ userId: input.userId, keyId: link.sealed.keyId }, 'fantrax secret does not open');
        throw ApplicationFailure.create({ message, type: FANTRAX_FAILURES.invalidSecret, nonRetryable: true });
      }
      let leagues;
      try {
        leagues = await client.getLeagues(secretId);
      } catch (error) {
        if (error instanceof InvalidSecretIdError) {
          await markNeedsReconnect(pool, input.userId, error.message);
          throw ApplicationFailure.create({
            message: error.message,
            type: FANTRAX_FAILURES.invalidSecret,
            nonRetryable: true,
          });
        }
        throw asFailure(error);
      }
      const mlb = leagues.filter((l) => l.sport.toUpperCase() === 'MLB');
      const stored = await withTransaction(pool, async (tx) => {
        // Gone, or relinked (maybe to another Fantrax account) since the Secret ID was read: not this sync's to write.
        if ((await lockLink(tx, input.userId))?.getTime() !== link.linkedAt.getTime()) return false;
        await replaceLeagues(tx, input.userId, mlb);
        return true;
      });
      if (!stored) throw removedDuringSync();
      activityLog(log).info({ userId: input.userId, leagues: mlb.length }, 'fantrax leagues fetched');
      return { leagueIds: mlb.map((l) => l.leagueId) };
    },

    /** One league: info, rosters and the sync's player ids; the rostered players matched; the rosters stored for this sync. */
    async syncFantraxLeague(input: {
      userId: string;
      syncId: number;
      leagueId: string;
    }): Promise<{ status: 'synced' | 'inaccessible'; rostered: number; matched: number; uncertain: number }> {
      // Disconnected already: spare the Fantrax calls (the writes check again, holding the link row).
      if (!(await linkOf(pool, input.userId)) || !(await syncById(pool, input.syncId))) throw removedDuringSync();
      let info;
      let rosters;
      let ids;
      try {
        [info, rosters, ids] = await Promise.all([
          client.getLeagueInfo(input.leagueId),
          client.getTeamRosters(input.leagueId),
          playerIdsOf(input.syncId),
        ]);
      } catch (error) {
        if (error instanceof InaccessibleLeagueError) {
          if (
            !(await writeWhileLinked(input, (tx) => setLeagueStatus(tx, input.userId, input.leagueId, 'inaccessible')))
          )
            throw removedDuringSync();
          activityLog(log).warn({ leagueId: input.leagueId }, 'fantrax league inaccessible');
          return { status: 'inaccessible', rostered: 0, matched: 0, uncertain: 0 };
        }
        throw asFailure(error);
      }
      const entries = Object.entries(rosters.rosters).flatMap(([teamId, team]) =>
        team.rosterItems.map((item) => ({
          teamId,
          fantraxId: item.id,
          rosterStatus: item.status,
          position: item.position ?? info.playerInfo[item.id]?.eligiblePos ?? null,
        })),
      );
      const match = createMatcher(await matchCandidates(pool));
      const fantraxIds = [...new Set(entries.map((e) => e.fantraxId))];
      const matches = fantraxIds.map((fantraxId) => {
        const known = ids[fantraxId];
        const player = {
          fantraxId,
          name: known?.name ?? '',
          team: known?.team ?? null,
          position: known?.position ?? info.playerInfo[fantraxId]?.eligiblePos ?? null,
        };
        const result = known ? match(player) : { fantraxId, playerId: null, confidence: 0, label: 'none' as const };
        return {
          fantraxId,
          fantraxName: player.name || fantraxId,
          fantraxTeam: player.team,
          fantraxPosition: player.position,
          playerId: result.playerId,
          confidence: result.confidence,
          label: result.label,
        };
      });
      const stored = await writeWhileLinked(input, async (tx) => {
        await upsertMatches(tx, input.userId, matches);
        await storeRosters(tx, input.syncId, input.leagueId, entries);
        await setLeagueStatus(tx, input.userId, input.leagueId, 'synced');
      });
      if (!stored) throw removedDuringSync();
      return {
        status: 'synced',
        rostered: entries.length,
        matched: matches.filter((m) => m.playerId !== null).length,
        uncertain: matches.filter((m) => m.label === 'uncertain').length,
      };
    },

    async finishFantraxSync(input: { userId: string; syncId: number | null; error: string | null }): Promise<void> {
      if (input.syncId !== null) {
        playerIdsBySync.delete(input.syncId);
        await finishSync(pool, input.syncId, { status: input.error ? 'failed' : 'succeeded', error: input.error });
      }
      await recordLinkSync(pool, input.userId, { at: new Date(), error: input.error });
    },

    async recomputeFantraxRecommendations(input: {
      userId: string;
    }): Promise<{ leagues: number; snapshotId: string | null }> {
      const snapshot = await adviceSnapshot(pool);
      if (!snapshot) return { leagues: 0, snapshotId: null };
      return {
        leagues: await recomputeUserRecommendations(pool, input.userId, snapshot, season()),
        snapshotId: snapshot.snapshotId,
      };
    },

    /** After a publication: every linked user's recommendations from the new snapshot (no Fantrax calls). */
    async recomputeAllFantraxRecommendations(
      _input: Record<string, never> = {},
    ): Promise<{ users: number; leagues: number }> {
      const snapshot = await adviceSnapshot(pool);
      if (!snapshot) return { users: 0, leagues: 0 };
      const userIds = await linkedUserIds(pool);
      let leagues = 0;
      for (const userId of userIds) leagues += await recomputeUserRecommendations(pool, userId, snapshot, season());
      activityLog(log).info(
        { users: userIds.length, leagues, snapshotId: snapshot.snapshotId },
        'fantrax recommendations recomputed',
      );
      return { users: userIds.length, leagues };
    },

    async listFantraxLinkedUsers(_input: Record<string, never> = {}): Promise<{ userIds: string[] }> {
      return { userIds: await linkedUserIds(pool) };
    },
  };
}
