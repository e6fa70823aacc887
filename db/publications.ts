/**
 * Subscribing to publications: a dedicated connection LISTENs on PUBLISHED_CHANNEL (db/rankings.ts), so the API
 * starts a new cache version the moment a snapshot goes live.
 */
import type pg from 'pg';
import { PUBLISHED_CHANNEL } from './rankings.ts';

/** Makes `client` receive PUBLISHED_CHANNEL notifications; `onPublished` gets each payload (the snapshot id). */
export async function listenForPublications(
  client: pg.ClientBase,
  onPublished: (snapshotId: string) => void,
): Promise<void> {
  client.on('notification', (message) => {
    if (message.channel === PUBLISHED_CHANNEL) onPublished(message.payload ?? '');
  });
  await client.query(`LISTEN ${PUBLISHED_CHANNEL}`);
}
