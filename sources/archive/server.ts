/**
 * Serves a request → response function over HTTP (node:http) under a path prefix, e.g. the archive API under
 * `/archive/<id>`: the prefix makes the source's identity part of every URL, and URLs key the landing zone, so two
 * archives (or an archive and the sample, on another port) never share a stored response.
 */
import { startJsonApiServer, type ApiResponse } from '../http/json-api-server.ts';

export type ServedResponse = ApiResponse;

export interface ArchiveServerOptions {
  /** Answers a request whose path has had `basePath` removed (it starts with /api/v1). */
  handler: (method: string, url: URL) => ServedResponse | Promise<ServedResponse>;
  /** Path prefix of every served URL, e.g. `/archive/3f9c2a1b7d0e`; '' serves at the root. @default '' */
  basePath?: string;
  /** TCP port; 0 picks a free one. A fixed port keeps URLs (the landing zone's keys) the same from run to run. @default 0 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
}

export interface ArchiveServer {
  /** Base URL for the Stats API client (origin plus basePath; the client appends /api/v1). */
  url: string;
  close(): Promise<void>;
  /** Requests answered so far, any path or status. */
  requestCount(): number;
}

export function startArchiveServer(options: ArchiveServerOptions): Promise<ArchiveServer> {
  const port = options.port ?? 0;
  const host = options.host ?? '127.0.0.1';
  return startJsonApiServer({
    ...options,
    name: 'archive',
    caller: 'startArchiveServer',
    listenError: (err) =>
      err.code === 'EADDRINUSE'
        ? new Error(
            `archive source: port ${port} on ${host} is already in use (another backfill with --source running?); set ARCHIVE_PORT`,
          )
        : err,
  });
}
