/**
 * The landing zone's rows: every raw source response (`raw_responses`, the body gzip-compressed, keyed by URL and
 * fetch time) and the batches that used each one (`ingest_batch_responses`). Bodies go in and come out as JSON
 * values: compression is this module's business.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip as gunzipCb, gzip as gzipCb } from 'node:zlib';
import type { Queryable } from '../lib/db.ts';

const gzip = promisify(gzipCb);
const gunzip = promisify(gunzipCb);

async function unpack(bodyGzip: Buffer): Promise<unknown> {
  return JSON.parse((await gunzip(bodyGzip)).toString('utf8')) as unknown;
}

/**
 * The newest successful response stored for `url` (fetched at or after `since`, when given), its body as the
 * uncompressed JSON text; null when there is none.
 */
export async function latestResponse(
  db: Queryable,
  url: string,
  since: Date | null = null,
): Promise<{ responseId: number; json: Buffer } | null> {
  const { rows } = await db.query<{ response_id: number; body_gzip: Buffer }>(
    `SELECT response_id, body_gzip FROM raw_responses WHERE url = $1 AND status = 200 AND ($2::timestamptz IS NULL OR fetched_at >= $2)
     ORDER BY fetched_at DESC LIMIT 1`,
    [url, since],
  );
  const hit = rows[0];
  return hit ? { responseId: hit.response_id, json: await gunzip(hit.body_gzip) } : null;
}

/** Links a stored response to a batch that used it; linking it again is a no-op. */
export async function linkResponse(db: Queryable, batchId: number, responseId: number, reused: boolean): Promise<void> {
  await db.query(
    'INSERT INTO ingest_batch_responses (batch_id, response_id, reused) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [batchId, responseId, reused],
  );
}

/**
 * Stores a response fetched from the network for a batch (compressed, with the SHA-256 of its JSON) and links it to
 * the batch. The same URL and fetch time again only updates the status.
 * @returns its response id.
 */
export async function storeResponse(
  db: Queryable,
  input: { batchId: number; source: string; url: string; fetchedAt: Date; status: number; body: unknown },
): Promise<number> {
  const json = JSON.stringify(input.body);
  const body = await gzip(json);
  const { rows } = await db.query<{ response_id: number }>(
    `INSERT INTO raw_responses (batch_id, source, url, fetched_at, status, body_gzip, body_sha256)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (url, fetched_at) DO UPDATE SET status = EXCLUDED.status
     RETURNING response_id`,
    [
      input.batchId,
      input.source,
      input.url,
      input.fetchedAt,
      input.status,
      body,
      createHash('sha256').update(json).digest('hex'),
    ],
  );
  const responseId = rows[0]!.response_id;
  await linkResponse(db, input.batchId, responseId, false);
  return responseId;
}

/** The responses a batch used, decompressed, in the order they were stored. */
export async function batchResponses(db: Queryable, batchId: number): Promise<{ url: string; body: unknown }[]> {
  const { rows } = await db.query<{ url: string; body_gzip: Buffer }>(
    `SELECT r.url, r.body_gzip FROM ingest_batch_responses b JOIN raw_responses r USING (response_id)
     WHERE b.batch_id = $1 ORDER BY r.response_id`,
    [batchId],
  );
  return Promise.all(rows.map(async (r) => ({ url: r.url, body: await unpack(r.body_gzip) })));
}

/** The newest successful response of every URL in the landing zone: its id, without the body. */
export async function latestResponseIds(db: Queryable): Promise<{ responseId: number; url: string }[]> {
  const { rows } = await db.query<{ response_id: number; url: string }>(
    'SELECT DISTINCT ON (url) response_id, url FROM raw_responses WHERE status = 200 ORDER BY url, fetched_at DESC',
  );
  return rows.map((r) => ({ responseId: r.response_id, url: r.url }));
}

/** The bodies of these responses, decompressed, oldest fetch first. */
export async function responseBodies(db: Queryable, responseIds: readonly number[]): Promise<unknown[]> {
  const { rows } = await db.query<{ body_gzip: Buffer }>(
    'SELECT body_gzip FROM raw_responses WHERE response_id = ANY($1) ORDER BY fetched_at, response_id',
    [responseIds],
  );
  return Promise.all(rows.map((r) => unpack(r.body_gzip)));
}

/** Ids of every successful response whose URL starts with `prefix` (not only the latest per URL), oldest fetch first. */
export async function responseIdsByPrefix(db: Queryable, prefix: string): Promise<number[]> {
  const { rows } = await db.query<{ response_id: number }>(
    'SELECT response_id FROM raw_responses WHERE status = 200 AND starts_with(url, $1) ORDER BY fetched_at, response_id',
    [prefix],
  );
  return rows.map((r) => r.response_id);
}
