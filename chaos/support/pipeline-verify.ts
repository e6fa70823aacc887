/**
 * The checks every pipeline chaos scenario ends with: the backfill completed with every season, the database equals
 * the reference run's by content checksum per table, no table holds a duplicate key, and the batches are sound.
 */
import type { Client } from '@temporalio/client';
import type { ChaosCheck } from '../scenario.ts';
import { batchHealth, batchesSound, describeBatches } from './pipeline-batches.ts';
import { checksumDifferences } from '../../db/checksums.ts';
import { contentChecksums, type ContentChecksum } from './pipeline-checksums.ts';
import type { Reference } from './pipeline-reference.ts';
import { SEASONS } from './pipeline-rig.ts';
import type { ScratchDatabase } from './scratch-database.ts';
import type { BackfillProgress } from '../../workflows/backfill-history.ts';

export interface Verified {
  checks: ChaosCheck[];
  checksums: ContentChecksum[];
}

export async function verifyAgainstReference(options: {
  client: Client;
  workflowId: string;
  result: BackfillProgress;
  db: ScratchDatabase;
  reference: Reference;
}): Promise<Verified> {
  const { client, workflowId, result, db, reference } = options;
  const status = (await client.workflow.getHandle(workflowId).describe()).status.name;
  const checksums = await contentChecksums(db.pool);
  const diffs = checksumDifferences(checksums, reference.checksums);
  const rows = checksums.reduce((n, c) => n + c.rows, 0);
  const nonEmpty = checksums.filter((c) => c.rows > 0).map((c) => `${c.table} ${c.rows}`);
  const duplicated = checksums
    .filter((c) => c.duplicateKeys > 0)
    .map((c) => `${c.table}: ${c.duplicateKeys} on (${c.keyColumns.join(', ')})`);
  const health = await batchHealth(db.pool);
  const sameSeasons = JSON.stringify(result.seasons) === JSON.stringify(reference.result.seasons);
  return {
    checksums,
    checks: [
      {
        what: `the backfill completed with all ${SEASONS} seasons, each as the reference run loaded it`,
        ok: status === 'COMPLETED' && result.seasonsDone === SEASONS && result.breaches.length === 0 && sameSeasons,
        detail: `status ${status}, ${result.seasonsDone}/${result.seasonsTotal} seasons, ${result.rowsLoaded} rows loaded (reference ${reference.result.rowsLoaded}), per-season counts ${sameSeasons ? 'equal' : 'differ'}`,
      },
      {
        what: `every table of public equals the uninterrupted run's by content checksum (${checksums.length} tables)`,
        ok: diffs.length === 0 && checksums.length === reference.checksums.length,
        detail: diffs.length
          ? diffs.join('; ')
          : `${rows} rows compared; with rows: ${nonEmpty.join(', ')}; the other ${checksums.length - nonEmpty.length} empty in both`,
      },
      {
        what: 'no table holds a duplicate key',
        ok: duplicated.length === 0,
        detail: duplicated.length ? duplicated.join('; ') : `${checksums.length} tables checked on their key columns`,
      },
      {
        what: 'each season was loaded by exactly one live batch; no attempt dangling, no superseded attempt loaded',
        ok: batchesSound(health, SEASONS),
        detail: describeBatches(health),
      },
    ],
  };
}
