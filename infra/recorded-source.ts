/**
 * Starts the local server for `--source`, on the fixed ARCHIVE_PORT (default 8788, beside the sample's 8787):
 * - a recorded archive directory, served under `/archive/<content hash>`;
 * - a landing zone to replay (`landing:<postgres url>[#origin]`), served under `/landing/<hash of database and origin>`.
 * The URL therefore names what is served: re-running a backfill over the same archive reuses its landing-zone
 * responses, a changed archive gets new keys, and responses never mix with the sample's (another port) or another
 * source's (another path).
 */
import { createHash } from 'node:crypto';
import { openLandingReplay } from '../sources/archive/landing-replay.ts';
import type { Config } from '../lib/config.ts';
import { createPool } from '../lib/db.ts';
import type { Logger } from '../lib/log.ts';
import { createArchiveApi } from '../sources/archive/api.ts';
import { openArchiveDirectory } from '../sources/archive/directory.ts';
import { createReplayApi } from '../sources/archive/replay.ts';
import { startArchiveServer } from '../sources/archive/server.ts';
import { PrerequisiteError } from '../lib/prerequisite-error.ts';
import { describeSourceSpec, type SourceSpec } from './source-spec.ts';

export interface RecordedSource {
  /** Base URL for the Stats API client. */
  url: string;
  /** What is served, for the console. */
  description: string;
  close(): Promise<void>;
}

/**
 * @throws PrerequisiteError (one sentence for the operator) when the source cannot be opened or served: a missing
 * directory, an unreachable database, a landing zone with several origins and none chosen, a port in use.
 */
export async function startRecordedSource(
  spec: SourceSpec,
  mlb: Pick<Config['mlb'], 'archivePort'>,
  log: Logger,
): Promise<RecordedSource> {
  try {
    return await start(spec, mlb, log);
  } catch (error) {
    throw new PrerequisiteError(`--source: ${(error as Error).message}`, { cause: error });
  }
}

async function start(spec: SourceSpec, mlb: Pick<Config['mlb'], 'archivePort'>, log: Logger): Promise<RecordedSource> {
  const description = describeSourceSpec(spec);
  if (spec.kind === 'directory') {
    const archive = openArchiveDirectory(spec.dir);
    const server = await startArchiveServer({
      handler: createArchiveApi(archive),
      basePath: `/archive/${archive.id}`,
      port: mlb.archivePort,
    });
    log.info({ url: server.url, dir: archive.root, id: archive.id }, 'recorded archive source serving');
    return { url: server.url, description, close: () => server.close() };
  }
  const pool = createPool(spec.databaseUrl, { max: 2, applicationName: 'afwd-landing-replay' });
  try {
    const replay = await openLandingReplay(pool, spec.origin);
    // The id names the database (without its password) and the origin, not the content: a landing zone only grows.
    const safe = new URL(spec.databaseUrl);
    safe.password = '';
    const id = createHash('sha256').update(`${safe.toString()}\0${replay.origin}`).digest('hex').slice(0, 12);
    const server = await startArchiveServer({
      handler: createReplayApi(replay),
      basePath: `/landing/${id}`,
      port: mlb.archivePort,
    });
    log.info({ url: server.url, origin: replay.origin, urls: replay.urls }, 'landing-zone replay serving');
    return {
      url: server.url,
      description: `${description}, replaying ${replay.urls} URLs of ${replay.origin}`,
      close: async () => {
        await server.close();
        await pool.end();
      },
    };
  } catch (error) {
    await pool.end();
    throw error;
  }
}
