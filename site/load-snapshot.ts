/** Reads and validates the published snapshot for a site build; every failure names the file and what is wrong. */
import { readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { SNAPSHOT_FORMAT, SnapshotSchema, type Snapshot } from '../lib/snapshot.ts';

/** The env var astro.config.mjs and the content loader read; build.ts sets it. */
export const SNAPSHOT_PATH_ENV = 'AFWD_SNAPSHOT_PATH';

export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

export function snapshotPathFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const path = env[SNAPSHOT_PATH_ENV];
  if (!path) throw new SnapshotError(`${SNAPSHOT_PATH_ENV} is not set: point it at the published snapshot JSON file.`);
  // A relative path would silently depend on the cwd Astro happens to run in.
  if (!isAbsolute(path)) throw new SnapshotError(`${SNAPSHOT_PATH_ENV} must be an absolute path, got "${path}".`);
  return path;
}

export async function loadSnapshot(path: string): Promise<Snapshot> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new SnapshotError(`Cannot read snapshot ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SnapshotError(`Snapshot ${path} is not valid JSON: ${(error as Error).message}`);
  }
  // Checked first so a newer pipeline's file gets a clear "rebuild the site" message instead of a wall of field errors.
  const format = typeof json === 'object' && json !== null ? (json as { format?: unknown }).format : undefined;
  if (format !== undefined && format !== SNAPSHOT_FORMAT) {
    throw new SnapshotError(
      `Snapshot ${path} has format ${JSON.stringify(format)}, but this site reads format ${SNAPSHOT_FORMAT}.`,
    );
  }
  const parsed = SnapshotSchema.safeParse(json);
  if (!parsed.success) {
    throw new SnapshotError(`Snapshot ${path} does not match the snapshot schema:\n${z.prettifyError(parsed.error)}`);
  }
  // Slugs become URLs; a duplicate would make one prospect's page silently overwrite another's.
  const seen = new Set<string>();
  for (const prospect of parsed.data.prospects) {
    if (seen.has(prospect.slug)) {
      throw new SnapshotError(`Snapshot ${path} has more than one prospect with slug "${prospect.slug}".`);
    }
    seen.add(prospect.slug);
  }
  return parsed.data;
}
