/**
 * Content checksums of a pipeline database, per table of the public schema, for comparing a chaos run with an
 * uninterrupted one. db/checksums.ts hashes every column; two runs of the same backfill still differ in the values a
 * run generates (sequence ids, insert times, attempt bookkeeping), so this hashes what the data says and names,
 * per table and column, what it leaves out and why. Anything not named is compared as stored. The hash is
 * db/checksums.ts's (`checksumSelect`), and so is the comparison (`checksumDifferences`).
 */
import type { Queryable } from '../../lib/db.ts';
import { checksumSelect, publicTables, quoteIdent, tableColumns, type TableChecksum } from '../../db/checksums.ts';

/** Rows of a fetch attempt that a later attempt replaced: bookkeeping of the retry, not data. */
const LIVE_BATCH = 'EXISTS (SELECT 1 FROM ingest_batches b WHERE b.batch_id = t.batch_id AND b.superseded_at IS NULL)';
/** A batch id stands for its season and source (the ids differ between runs; the season a row came from does not). */
const BATCH_SEASON = "(SELECT b.source || ':' || b.season FROM ingest_batches b WHERE b.batch_id = t.batch_id)";
/** The sample source of each run listens on a port of its own: a URL is compared without its origin. */
const URL_PATH = "regexp_replace(t.url, '^[a-z]+://[^/]+', '')";
/**
 * Which bios a season's fetch asks for depends on which seasons were loaded before it (players already known are not
 * fetched again), so with seasons running side by side the split of players over people requests is scheduling, not
 * data. The bios themselves are compared in `players` and `player_bio_versions`.
 */
const NOT_PEOPLE = "t.url NOT LIKE '%/api/v1/people?%'";
const PEOPLE_WHY =
  'people requests are split by what was already loaded, which depends on scheduling; the bios are compared in players';

export interface TableRule {
  /** Columns left out, each with why. */
  exclude?: Record<string, string>;
  /** Columns compared through an SQL expression over the row `t` instead of their stored value, each with why. */
  normalize?: Record<string, { sql: string; why: string }>;
  /** Only rows matching this SQL condition over `t` are compared, with why. */
  where?: { sql: string; why: string };
  /** Columns that must be unique among the compared rows (the duplicate check), when the primary key is excluded. */
  key?: string[];
}

const ATTEMPT = 'attempt bookkeeping: differs when a fetch is retried';

/**
 * Explicit rules for the tables a backfill writes. On top of them, any column whose default is `nextval(...)`,
 * `now()` or `gen_random_uuid()` is a value generated at insert and left out (`generatedColumns`).
 */
export const TABLE_RULES: Record<string, TableRule> = {
  ingest_batches: {
    where: {
      sql: 't.superseded_at IS NULL',
      why: 'a superseded batch is a fetch attempt a retry replaced (checked separately: never loaded)',
    },
    exclude: {
      finished_at: 'the time the load finished',
      superseded_at: 'NULL on every compared row',
      run_key: ATTEMPT,
      activity_key: 'names the workflow run and activity id',
      attempt: ATTEMPT,
      requests: ATTEMPT,
      http_requests: ATTEMPT,
      responses_reused: ATTEMPT,
      load_result: 'holds the batch id and write time; its counts are the compared rows_* columns',
    },
    key: ['source', 'season'],
  },
  ingest_batch_responses: {
    where: {
      sql: `${LIVE_BATCH} AND NOT EXISTS (SELECT 1 FROM raw_responses r WHERE r.response_id = t.response_id AND r.url LIKE '%/api/v1/people?%')`,
      why: `live batches only; ${PEOPLE_WHY}`,
    },
    normalize: {
      batch_id: { sql: BATCH_SEASON, why: 'the batch as its season' },
      response_id: {
        sql: `(SELECT ${URL_PATH.replaceAll('t.url', 'r.url')} FROM raw_responses r WHERE r.response_id = t.response_id)`,
        why: 'the response as its URL path',
      },
    },
    exclude: { reused: 'whether this attempt fetched the response or an earlier attempt had: ' + ATTEMPT },
    key: ['batch_id', 'response_id'],
  },
  raw_responses: {
    where: { sql: NOT_PEOPLE, why: PEOPLE_WHY },
    normalize: {
      url: { sql: URL_PATH, why: 'the sample source port differs between runs' },
      batch_id: { sql: BATCH_SEASON, why: 'the attempt that stored it, as its season' },
    },
    exclude: { fetched_at: 'the time of the request' },
    key: ['url'],
  },
  quarantine: {
    where: { sql: LIVE_BATCH, why: 'rows of a superseded attempt' },
    normalize: { batch_id: { sql: BATCH_SEASON, why: 'the batch as its season' } },
  },
  data_flags: {
    where: { sql: `t.batch_id IS NULL OR ${LIVE_BATCH}`, why: 'rows of a superseded attempt' },
    normalize: { batch_id: { sql: BATCH_SEASON, why: 'the batch as its season' } },
  },
  player_season_stats: {
    exclude: { batch_id: 'the id of the attempt that loaded it (checked separately: a live, finished batch)' },
  },
  player_bio_versions: {
    exclude: { seen_on: 'the day the bio was fetched' },
    key: ['player_id', 'birth_date', 'primary_position', 'bat_side', 'pitch_hand'],
  },
  ranking_snapshots: {
    exclude: { published_at: 'the time of publishing', site_fence: ATTEMPT, site_fence_attempt: ATTEMPT },
  },
};

/** What one table's content checksum covered and left out. */
export interface ContentChecksum extends TableChecksum {
  /** Duplicate keys among the compared rows: rows minus distinct values of the table's key. */
  duplicateKeys: number;
  keyColumns: string[];
  /** Columns left out or normalized, with why (the same for every database of one schema). */
  excluded: { column: string; why: string }[];
}

interface Column {
  name: string;
  generated: boolean;
}

async function columnsOf(db: Queryable, table: string): Promise<Column[]> {
  const columns = await tableColumns(db, table);
  return columns.map((c) => ({
    name: c.name,
    generated: /^(nextval\(|now\(\)|gen_random_uuid\(\))/.test(c.default ?? ''),
  }));
}

async function primaryKey(db: Queryable, table: string): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT a.attname AS name FROM pg_index i
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
      WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
    [`public.${quoteIdent(table)}`],
  );
  return rows.map((r) => r.name);
}

/** The SQL that hashes one table's compared content, and what it leaves out; exported for the tests. */
export function contentQuery(
  table: string,
  columns: Column[],
  pk: string[],
  rule: TableRule = TABLE_RULES[table] ?? {},
) {
  const excluded: { column: string; why: string }[] = [];
  const kept: { name: string; sql: string }[] = [];
  const named = new Set(columns.map((c) => c.name));
  for (const column of [
    ...Object.keys(rule.exclude ?? {}),
    ...Object.keys(rule.normalize ?? {}),
    ...(rule.key ?? []),
  ]) {
    if (!named.has(column))
      throw new Error(
        `pipeline checksums: ${table}.${column} is named in TABLE_RULES but the table has no such column`,
      );
  }
  for (const c of columns) {
    const normal = rule.normalize?.[c.name];
    const why =
      rule.exclude?.[c.name] ??
      (c.generated && !normal ? 'generated at insert (sequence id, insert time or random id)' : undefined);
    if (why) {
      excluded.push({ column: c.name, why });
      continue;
    }
    if (normal) excluded.push({ column: c.name, why: `normalized: ${normal.why}` });
    kept.push({ name: c.name, sql: normal ? normal.sql : `t.${quoteIdent(c.name)}` });
  }
  const keptNames = kept.map((k) => k.name);
  const keyColumns = rule.key ?? (pk.length && pk.every((k) => keptNames.includes(k)) ? pk : keptNames);
  const values = kept.map((k) => `${k.sql} AS ${quoteIdent(k.name)}`);
  const where = rule.where ? `WHERE ${rule.where.sql}` : '';
  // `row(...)` of the projected columns: a value's text form, so the hash does not depend on the column's position.
  const sql = `
    WITH content AS (SELECT ${values.join(', ') || 'NULL AS nothing'} FROM public.${quoteIdent(table)} t ${where}),
         sums AS (${checksumSelect('content')})
    SELECT sums.rows, sums.checksum,
           sums.rows - (SELECT count(*)::int FROM (SELECT DISTINCT ${keyColumns.map(quoteIdent).join(', ') || '1'} FROM content) k) AS duplicate_keys
      FROM sums`;
  return { sql, excluded, keyColumns };
}

/** A content checksum of every table of the public schema (partitions through their parent), by name. */
export async function contentChecksums(db: Queryable): Promise<ContentChecksum[]> {
  const out: ContentChecksum[] = [];
  for (const table of await publicTables(db)) {
    const { sql, excluded, keyColumns } = contentQuery(table, await columnsOf(db, table), await primaryKey(db, table));
    const { rows } = await db.query<{ rows: number; checksum: string; duplicate_keys: number }>(sql);
    const r = rows[0]!;
    out.push({ table, rows: r.rows, checksum: r.checksum, duplicateKeys: r.duplicate_keys, keyColumns, excluded });
  }
  return out;
}
