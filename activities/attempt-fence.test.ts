import { ApplicationFailure } from '@temporalio/activity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { claimBatch, claimSiteSwitch, finishedLoad, recordFinishedLoad, withBatchFence, withBatchLoadLock, withSiteFence } from './attempt-fence.ts';

const superseded = (error: unknown): boolean => error instanceof ApplicationFailure && error.type === 'SupersededAttempt' && error.nonRetryable === true;

describe('attempt fences', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  const key = (attempt: number, activity = 'wf/run/fetch-1') => ({ activity, attempt });
  const land = (batchId: number, url: string) => withBatchFence(db.pool, batchId, (client) =>
    client.query(`INSERT INTO raw_responses (batch_id, source, url, fetched_at, status, body_gzip, body_sha256)
                  VALUES ($1, 'test', $2, now(), 200, '\\x00', 'x')`, [batchId, url]));

  it('gives each attempt its own batch, and a newer attempt shuts the older one out', async () => {
    const first = await claimBatch(db.pool, { source: 'test', season: 2018, key: key(1) });
    expect(await claimBatch(db.pool, { source: 'test', season: 2018, key: key(1) })).toBe(first);
    await land(first, 'http://x/1');
    const second = await claimBatch(db.pool, { source: 'test', season: 2018, key: key(2) });
    expect(second).not.toBe(first);
    await expect(land(first, 'http://x/late')).rejects.toSatisfy(superseded);
    await land(second, 'http://x/2');
    const { rows } = await db.pool.query('SELECT batch_id, url FROM raw_responses ORDER BY response_id');
    expect(rows).toEqual([{ batch_id: first, url: 'http://x/1' }, { batch_id: second, url: 'http://x/2' }]);
    // Another activity's attempts are not touched.
    const other = await claimBatch(db.pool, { source: 'test', season: 2018, key: key(1, 'wf/run/fetch-2') });
    await land(other, 'http://y/1');
  });

  it('makes a newer attempt wait for a write of the older one in flight, which then lands before it starts', async () => {
    const first = await claimBatch(db.pool, { source: 'test', season: 2019, key: key(1, 'wf/run/fetch-3') });
    let release!: () => void;
    const holding = new Promise<void>((r) => { release = r; });
    const events: string[] = [];
    const write = withBatchFence(db.pool, first, async (client) => {
      await client.query(`INSERT INTO raw_responses (batch_id, source, url, fetched_at, status, body_gzip, body_sha256)
                          VALUES ($1, 'test', 'http://z/in-flight', now(), 200, '\\x00', 'x')`, [first]);
      await holding;
      events.push('old write committed');
    });
    await new Promise((r) => setTimeout(r, 100));
    const claim = claimBatch(db.pool, { source: 'test', season: 2019, key: key(2, 'wf/run/fetch-3') }).then((id) => {
      events.push('new attempt started');
      return id;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(events).toEqual([]);
    release();
    await write;
    await claim;
    expect(events).toEqual(['old write committed', 'new attempt started']);
    await expect(land(first, 'http://z/after')).rejects.toSatisfy(superseded);
  });

  it('lets loads of one batch take turns, and a retry find the finished load', async () => {
    const batch = await claimBatch(db.pool, { source: 'test', season: 2020, key: key(1, 'wf/run/fetch-4') });
    const order: string[] = [];
    const load = (name: string, ms: number) => withBatchLoadLock(db.pool, batch, async () => {
      const earlier = await finishedLoad<{ by: string }>(db.pool, batch);
      if (earlier) {
        order.push(`${name} found ${earlier.by}`);
        return earlier;
      }
      order.push(`${name} loads`);
      await new Promise((r) => setTimeout(r, ms));
      await db.pool.query('UPDATE ingest_batches SET finished_at = now() WHERE batch_id = $1', [batch]);
      await recordFinishedLoad(db.pool, batch, { by: name });
      return { by: name };
    });
    const results = await Promise.all([load('zombie', 300), new Promise((r) => setTimeout(r, 50)).then(() => load('retry', 0))]);
    expect(order).toEqual(['zombie loads', 'retry found zombie']);
    expect(results).toEqual([{ by: 'zombie' }, { by: 'zombie' }]);
  });

  it('lets only the newest attempt switch the site', async () => {
    // A snapshot row without the model, features and predictions behind it: foreign keys off for this one insert.
    const client = await db.pool.connect();
    try {
      await client.query('SET session_replication_role = replica');
      await client.query("INSERT INTO ranking_snapshots (snapshot_id, prediction_run_id, path, prospect_count) VALUES ('rs-1', 'pr-none', '/s.json', 0)");
      await client.query('RESET session_replication_role');
    } finally {
      client.release();
    }
    const site = 'wf/run/publishSite';
    await claimSiteSwitch(db.pool, 'rs-1', key(1, site));
    await claimSiteSwitch(db.pool, 'rs-1', key(2, site));
    await expect(withSiteFence(db.pool, 'rs-1', key(1, site), async () => 'switched by 1')).rejects.toSatisfy(superseded);
    expect(await withSiteFence(db.pool, 'rs-1', key(2, site), async () => 'switched by 2')).toBe('switched by 2');
    await expect(claimSiteSwitch(db.pool, 'rs-unknown', key(1, site))).rejects.toThrow(/does not exist/);
  });
});
