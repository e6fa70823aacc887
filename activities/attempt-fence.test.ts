import { ApplicationFailure } from '@temporalio/activity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import {
  claimBatch,
  claimSiteSwitch,
  finishedLoad,
  withBatchFence,
  withBatchLoadLock,
  withSiteFence,
} from './attempt-fence.ts';
import { loadBatch } from './load-season.ts';

const superseded = (error: unknown): boolean =>
  error instanceof ApplicationFailure && error.type === 'SupersededAttempt' && error.nonRetryable === true;

describe('attempt fences', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  const key = (attempt: number, activity = 'wf/run/fetch-1') => ({ activity, attempt });
  const land = (batchId: number, url: string) =>
    withBatchFence(db.pool, batchId, (client) =>
      client.query(
        `INSERT INTO raw_responses (batch_id, source, url, fetched_at, status, body_gzip, body_sha256)
                  VALUES ($1, 'test', $2, now(), 200, '\\x00', 'x')`,
        [batchId, url],
      ),
    );

  it('gives each attempt its own batch, and a newer attempt shuts the older one out', async () => {
    const first = await claimBatch(db.pool, { source: 'test', season: 2018, key: key(1) });
    expect(await claimBatch(db.pool, { source: 'test', season: 2018, key: key(1) })).toBe(first);
    await land(first, 'http://x/1');
    const second = await claimBatch(db.pool, { source: 'test', season: 2018, key: key(2) });
    expect(second).not.toBe(first);
    await expect(land(first, 'http://x/late')).rejects.toSatisfy(superseded);
    await land(second, 'http://x/2');
    const { rows } = await db.pool.query('SELECT batch_id, url FROM raw_responses ORDER BY response_id');
    expect(rows).toEqual([
      { batch_id: first, url: 'http://x/1' },
      { batch_id: second, url: 'http://x/2' },
    ]);
    // Another activity's attempts are not touched.
    const other = await claimBatch(db.pool, { source: 'test', season: 2018, key: key(1, 'wf/run/fetch-2') });
    await land(other, 'http://y/1');
  });

  it('makes a newer attempt wait for a write of the older one in flight, which then lands before it starts', async () => {
    const first = await claimBatch(db.pool, { source: 'test', season: 2019, key: key(1, 'wf/run/fetch-3') });
    let release!: () => void;
    const holding = new Promise<void>((r) => {
      release = r;
    });
    const events: string[] = [];
    const write = withBatchFence(db.pool, first, async (client) => {
      await client.query(
        `INSERT INTO raw_responses (batch_id, source, url, fetched_at, status, body_gzip, body_sha256)
                          VALUES ($1, 'test', 'http://z/in-flight', now(), 200, '\\x00', 'x')`,
        [first],
      );
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
    const load = (name: string, ms: number) =>
      withBatchLoadLock(db.pool, batch, async () => {
        const earlier = await finishedLoad<{ by: string }>(db.pool, batch);
        if (earlier) {
          order.push(`${name} found ${earlier.by}`);
          return earlier;
        }
        order.push(`${name} loads`);
        await new Promise((r) => setTimeout(r, ms));
        await db.pool.query('UPDATE ingest_batches SET finished_at = now(), load_result = $2 WHERE batch_id = $1', [
          batch,
          JSON.stringify({ by: name }),
        ]);
        return { by: name };
      });
    const results = await Promise.all([
      load('zombie', 300),
      new Promise((r) => setTimeout(r, 50)).then(() => load('retry', 0)),
    ]);
    expect(order).toEqual(['zombie loads', 'retry found zombie']);
    expect(results).toEqual([{ by: 'zombie' }, { by: 'zombie' }]);
  });

  const insertSnapshot = async (snapshotId: string) => {
    // A snapshot row without the model, features and predictions behind it: foreign keys off for this one insert.
    const client = await db.pool.connect();
    try {
      await client.query('SET session_replication_role = replica');
      await client.query(
        "INSERT INTO ranking_snapshots (snapshot_id, prediction_run_id, path, prospect_count) VALUES ($1, 'pr-none', '/s.json', 0)",
        [snapshotId],
      );
      await client.query('RESET session_replication_role');
    } finally {
      client.release();
    }
  };

  it('lets only the newest attempt switch the site', async () => {
    await insertSnapshot('rs-1');
    const site = 'wf/run/publishSite';
    await claimSiteSwitch(db.pool, 'rs-1', key(1, site));
    await claimSiteSwitch(db.pool, 'rs-1', key(2, site));
    await expect(withSiteFence(db.pool, 'rs-1', key(1, site), async () => 'switched by 1')).rejects.toSatisfy(
      superseded,
    );
    expect(await withSiteFence(db.pool, 'rs-1', key(2, site), async () => 'switched by 2')).toBe('switched by 2');
    await expect(claimSiteSwitch(db.pool, 'rs-unknown', key(1, site))).rejects.toThrow(/does not exist/);
  });

  it('keeps the site fence with the retry when the stalled first attempt claims after it', async () => {
    await insertSnapshot('rs-2');
    const site = 'wf/run2/publishSite';
    await claimSiteSwitch(db.pool, 'rs-2', key(2, site));
    await expect(claimSiteSwitch(db.pool, 'rs-2', key(1, site))).rejects.toSatisfy(superseded);
    const { rows } = await db.pool.query(
      'SELECT site_fence, site_fence_attempt FROM ranking_snapshots WHERE snapshot_id = $1',
      ['rs-2'],
    );
    expect(rows).toEqual([{ site_fence: `${site}#2`, site_fence_attempt: 2 }]);
    await expect(withSiteFence(db.pool, 'rs-2', key(1, site), async () => 'switched by 1')).rejects.toSatisfy(
      superseded,
    );
    expect(await withSiteFence(db.pool, 'rs-2', key(2, site), async () => 'switched by 2')).toBe('switched by 2');
    // The same attempt claiming again (a redelivered task) keeps the fence; another activity takes it over.
    await claimSiteSwitch(db.pool, 'rs-2', key(2, site));
    await claimSiteSwitch(db.pool, 'rs-2', key(1, 'wf/run3/publishSite'));
    expect(await withSiteFence(db.pool, 'rs-2', key(1, 'wf/run3/publishSite'), async () => 'switched by run3')).toBe(
      'switched by run3',
    );
  });

  it("gives a late first attempt that claims after its retry a superseded batch, leaving the retry's batch live", async () => {
    const activity = 'wf/run/fetch-late';
    const retry = await claimBatch(db.pool, { source: 'test', season: 2021, key: key(2, activity) });
    await expect(claimBatch(db.pool, { source: 'test', season: 2021, key: key(1, activity) })).rejects.toSatisfy(
      superseded,
    );
    const { rows } = await db.pool.query(
      'SELECT attempt, superseded_at IS NOT NULL AS superseded FROM ingest_batches WHERE activity_key = $1 ORDER BY attempt',
      [activity],
    );
    expect(rows).toEqual([
      { attempt: 1, superseded: true },
      { attempt: 2, superseded: false },
    ]);
    // Redelivered, the late attempt is refused again; the retry still writes.
    await expect(claimBatch(db.pool, { source: 'test', season: 2021, key: key(1, activity) })).rejects.toSatisfy(
      superseded,
    );
    await land(retry, 'http://late/2');
  });

  it("leaves exactly one live batch, the highest attempt's, when two attempts claim at the same moment", async () => {
    for (let i = 0; i < 15; i += 1) {
      const activity = `wf/run/fetch-race-${i}`;
      const claims = await Promise.allSettled(
        [2, 1].map((attempt) => claimBatch(db.pool, { source: 'test', season: 2022, key: key(attempt, activity) })),
      );
      expect(claims[0]?.status).toBe('fulfilled');
      const { rows } = await db.pool.query(
        'SELECT attempt FROM ingest_batches WHERE activity_key = $1 AND superseded_at IS NULL',
        [activity],
      );
      expect(rows).toEqual([{ attempt: 2 }]);
    }
  });

  it('makes a waiting load heartbeat while another holds the batch, then run once the lock is free', async () => {
    const batch = await claimBatch(db.pool, { source: 'test', season: 2023, key: key(1, 'wf/run/fetch-5') });
    let release!: () => void;
    const holding = new Promise<void>((r) => {
      release = r;
    });
    const first = withBatchLoadLock(db.pool, batch, () => holding.then(() => 'first'));
    await new Promise((r) => setTimeout(r, 50));
    const waits: number[] = [];
    // Connections checked out at each heartbeat: the waiter holds none between tries, only the lock holder does.
    const checkedOut: number[] = [];
    let ran = false;
    const second = withBatchLoadLock(
      db.pool,
      batch,
      async () => {
        ran = true;
        return 'second';
      },
      {
        pollMs: 100,
        onWait: ({ tries }) => {
          waits.push(tries);
          checkedOut.push(db.pool.totalCount - db.pool.idleCount);
        },
      },
    );
    await expect.poll(() => waits.length, { timeout: 10_000, interval: 50 }).toBeGreaterThanOrEqual(4);
    expect(ran).toBe(false);
    expect(waits).toEqual(waits.map((_, i) => i + 1));
    expect(new Set(checkedOut)).toEqual(new Set([1]));
    release();
    expect(await Promise.all([first, second])).toEqual(['first', 'second']);
  });

  it('stops a waiting load as soon as the activity is cancelled, without running it', async () => {
    const batch = await claimBatch(db.pool, { source: 'test', season: 2024, key: key(1, 'wf/run/fetch-6') });
    let release!: () => void;
    const holding = new Promise<void>((r) => {
      release = r;
    });
    const first = withBatchLoadLock(db.pool, batch, () => holding.then(() => 'first'));
    await new Promise((r) => setTimeout(r, 50));
    const cancel = new AbortController();
    let ran = false;
    const started = performance.now();
    const second = withBatchLoadLock(
      db.pool,
      batch,
      async () => {
        ran = true;
      },
      { pollMs: 5_000, signal: cancel.signal },
    );
    setTimeout(() => cancel.abort(new Error('activity cancelled')), 200);
    await expect(second).rejects.toThrow('activity cancelled');
    // Well before the next try would come: the wait itself stops.
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(ran).toBe(false);
    release();
    expect(await first).toBe('first');
    // The lock is free again: a later load takes it at once.
    expect(await withBatchLoadLock(db.pool, batch, async () => 'later', { pollMs: 10_000 })).toBe('later');
  });

  it('records what a load returned in the transaction that finishes the batch', async () => {
    const batch = await claimBatch(db.pool, { source: 'test', season: 2025, key: key(1, 'wf/run/fetch-7') });
    expect(await finishedLoad(db.pool, batch)).toBeNull();
    const loaded = await loadBatch(db.pool, { batchId: batch, season: 2025 }, 'test');
    // Nothing but loadBatch ran: the batch is finished and carries its result (writeMs up to the final update).
    const recorded = await finishedLoad<typeof loaded>(db.pool, batch);
    expect(recorded).toEqual({ ...loaded, writeMs: expect.any(Number) });
    expect(recorded!.writeMs).toBeLessThanOrEqual(loaded.writeMs);
  });
});
