/**
 * Imports FanGraphs or Baseball America CSV exports straight into the database (no Temporal) and prints the accounting:
 *   node bin/import-grades.ts --source fangraphs --season 2024 --file board.csv [--file more.csv] [--url https://...]
 *     [--mapping mapping.json]
 * URLs are fetched one after another, at most one request a second (the sites publish no API; be polite).
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../lib/config.ts';
import { createLogger, type Logger } from '../lib/log.ts';
import { openDatabase } from '../infra/database.ts';
import { importGradesCsv, type GradeImportResult } from '../sources/csv/import-grades.ts';
import { MappingError, type GradeSource } from '../sources/csv/mapping.ts';
import { CsvParseError } from '../sources/csv/parse-csv.ts';
import { runMain } from './main.ts';

const USAGE =
  'usage: node bin/import-grades.ts --source fangraphs|baseball_america --season YYYY (--file path.csv | --url URL)... [--mapping mapping.json]';
/** Minimum time between the starts of two URL fetches. */
const MIN_FETCH_INTERVAL_MS = 1000;
const SOURCES: Partial<Record<string, GradeSource>> = {
  fangraphs: 'fangraphs',
  baseball_america: 'baseball_america',
  'baseball-america': 'baseball_america',
  ba: 'baseball_america',
};

function options() {
  const { values } = parseArgs({
    options: {
      source: { type: 'string' },
      season: { type: 'string' },
      file: { type: 'string', multiple: true },
      url: { type: 'string', multiple: true },
      mapping: { type: 'string' },
    },
  });
  const source = SOURCES[values.source ?? ''];
  const season = Number(values.season);
  const files = values.file ?? [];
  const urls = values.url ?? [];
  if (!source) throw new ConfigError(`--source must be fangraphs or baseball_america. ${USAGE}`);
  if (!Number.isInteger(season) || season < 1990 || season > 2100)
    throw new ConfigError(`--season must be a year. ${USAGE}`);
  if (files.length + urls.length === 0) throw new ConfigError(`give at least one --file or --url. ${USAGE}`);
  return { source, season, files, urls, mapping: values.mapping };
}

/** Yields each source's text in order; URL fetches start at least MIN_FETCH_INTERVAL_MS apart. */
async function* csvTexts(
  files: string[],
  urls: string[],
  log: Logger,
): AsyncGenerator<{ origin: string; csv: string }> {
  for (const file of files) yield { origin: file, csv: await readFile(file, 'utf8') };
  let lastStart = Number.NEGATIVE_INFINITY;
  for (const url of urls) {
    const wait = lastStart + MIN_FETCH_INTERVAL_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    lastStart = Date.now();
    log.info({ url }, 'fetching CSV');
    const response = await fetch(url, {
      headers: { accept: 'text/csv, text/plain;q=0.9, */*;q=0.1' },
      signal: AbortSignal.timeout(30_000),
    });
    if (!response.ok) throw new ConfigError(`fetching ${url} failed: HTTP ${response.status}`);
    yield { origin: url, csv: await response.text() };
  }
}

function describe(origin: string, r: GradeImportResult): string {
  return [
    `${origin} → ingest batch ${r.batchId}`,
    `  Rows read:     ${r.rows} = ${r.loaded} loaded + ${r.quarantined} quarantined (unreadable, unmatched, ambiguous or repeated)`,
    `  Inconsistent:  ${r.inconsistent} loaded rows disagree with the MLB data on organization, age or position (noted as grade_inconsistency)`,
  ].join('\n');
}

await runMain(async (stack) => {
  const opts = options();
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel, name: 'import-grades' });
  const db = await openDatabase(config, log);
  stack.push('database', () => db.close());
  for await (const { origin, csv } of csvTexts(opts.files, opts.urls, log)) {
    try {
      const result = await importGradesCsv(
        { pool: db.pool },
        { source: opts.source, season: opts.season, mapping: opts.mapping, csv, origin },
        log,
      );
      console.log(describe(origin, result));
    } catch (error) {
      // A wrong mapping or a broken file is the user's to fix: one sentence, no stack trace.
      if (error instanceof MappingError || error instanceof CsvParseError)
        throw new ConfigError(`${origin}: ${error.message}`);
      throw error;
    }
  }
});
