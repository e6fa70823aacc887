/**
 * The embedded default data source: the generated sample universe served over HTTP in the MLB Stats API's shapes,
 * so the real client code path ingests it exactly as it would ingest statsapi.mlb.com.
 */
import type { Config } from '../lib/config.ts';
import type { Logger } from '../lib/log.ts';
import { generateUniverse } from '../sources/sample/universe.ts';
import { startSampleServer } from '../sources/sample/server.ts';

export interface SampleSource {
  url: string;
  close(): Promise<void>;
}

export async function startSampleSource(sample: Config['sample'], log: Logger): Promise<SampleSource> {
  const started = Date.now();
  const universe = generateUniverse({
    seed: sample.seed,
    fromSeason: sample.fromSeason,
    toSeason: sample.toSeason,
    scale: sample.scale,
  });
  const server = await startSampleServer({ universe, port: sample.port });
  log.info(
    { url: server.url, seed: sample.seed, scale: sample.scale, ms: Date.now() - started },
    'sample source serving',
  );
  return { url: server.url, close: () => server.close() };
}
