/**
 * Serves a sample universe over HTTP (node:http, no framework) at the Stats API's paths, from memory.
 * Use the returned url as the MLB Stats API client's baseUrl.
 */
import { startJsonApiServer } from '../http/json-api-server.ts';
import { createSampleApi } from './api.ts';
import type { SampleUniverse } from './universe.ts';

export interface SampleServerOptions {
  universe: SampleUniverse;
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
}

export interface SampleServer {
  /** Origin to use as baseUrl, e.g. http://127.0.0.1:8787 (paths start with /api/v1). */
  url: string;
  close(): Promise<void>;
  /** Requests answered so far, any path or status. */
  requestCount(): number;
}

export function startSampleServer(options: SampleServerOptions): Promise<SampleServer> {
  return startJsonApiServer({
    handler: createSampleApi(options.universe),
    port: options.port,
    host: options.host,
    name: 'sample',
    caller: 'startSampleServer',
  });
}
