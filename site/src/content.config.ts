/** Content collections fed from the published snapshot: one entry per prospect, plus the snapshot's own metadata. */
import { defineCollection } from 'astro:content';
import { ProspectSchema, SnapshotSchema } from '../../lib/snapshot.ts';
import { loadSnapshot, snapshotPathFromEnv } from '../load-snapshot.ts';

// Both collections come from one file; read and validate it once per build.
let snapshot: ReturnType<typeof loadSnapshot> | undefined;
const readSnapshot = () => (snapshot ??= loadSnapshot(snapshotPathFromEnv()));

export const collections = {
  prospects: defineCollection({
    loader: async () => (await readSnapshot()).prospects.map((prospect) => ({ id: prospect.slug, ...prospect })),
    schema: ProspectSchema,
  }),
  snapshot: defineCollection({
    loader: async () => {
      const { prospects: _prospects, ...meta } = await readSnapshot();
      return [{ id: 'current', ...meta }];
    },
    schema: SnapshotSchema.omit({ prospects: true }),
  }),
};
