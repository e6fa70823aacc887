/**
 * Starts the local server for `--source`: a recorded archive directory served under `/archive/<content hash>`, on
 * the fixed ARCHIVE_PORT (default 8788, beside the sample's 8787). The URL therefore names the archive's content:
 * re-running a backfill over the same archive reuses its landing-zone responses, a changed archive gets new keys,
 * and archive responses never mix with the sample's (another port) or another archive's (another hash).
 */
import type { Config } from '../lib/config.ts';
import type { Logger } from '../lib/log.ts';
import { createArchiveApi } from '../sources/archive/api.ts';
import { openArchiveDirectory } from '../sources/archive/directory.ts';
import { startArchiveServer } from '../sources/archive/server.ts';
import { describeSourceSpec, type SourceSpec } from './source-spec.ts';

export interface RecordedSource {
  /** Base URL for the Stats API client. */
  url: string;
  /** What is served, for the console. */
  description: string;
  close(): Promise<void>;
}

export async function startRecordedSource(spec: SourceSpec, mlb: Pick<Config['mlb'], 'archivePort'>, log: Logger): Promise<RecordedSource> {
  if (spec.kind !== 'directory') throw new Error(`startRecordedSource: unsupported source ${spec.kind}`);
  const archive = openArchiveDirectory(spec.dir);
  const server = await startArchiveServer({ handler: createArchiveApi(archive), basePath: `/archive/${archive.id}`, port: mlb.archivePort });
  const description = describeSourceSpec(spec);
  log.info({ url: server.url, dir: archive.root, id: archive.id }, 'recorded archive source serving');
  return { url: server.url, description, close: () => server.close() };
}
