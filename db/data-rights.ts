/**
 * Data rights over everything held about one account: the export (every row about the user, secrets and hashes left
 * out) and the erasure (the user row and all that cascades from it deleted; what must stay, the outbox's history and
 * the audit log, kept without anything that points back at the person). Tables with a `user_id` column that are not
 * named here are exported whole by discovery, so a table added later is in the export from the start.
 */
import type { Queryable } from '../lib/db.ts';

export type ExportRow = Record<string, unknown>;

/** Columns never exported, whatever the table: credentials and anything that could be replayed as one. */
const SECRET_COLUMN = /(hash|secret|ciphertext|token|password|_iv$|_tag$)/;

/** Tables exported by a query of their own below, or holding nothing of the user's own. */
const NAMED_TABLES = new Set([
  'users',
  'refresh_tokens',
  'email_outbox',
  'password_reset_tokens',
  'audit_log',
  'fantrax_links',
]);

async function rows(db: Queryable, sql: string, params: unknown[]): Promise<ExportRow[]> {
  return (await db.query<ExportRow>(sql, params)).rows;
}

/** The account itself, without its password hash. */
export async function exportProfile(db: Queryable, userId: string): Promise<ExportRow | null> {
  const found = await rows(
    db,
    `SELECT user_id, email, role, preferences, stripe_customer_id, created_at, updated_at, last_login_at
    FROM users WHERE user_id = $1`,
    [userId],
  );
  return found[0] ?? null;
}

/** Sessions (logins): when each token was made, when it expires, its state; never a token or hash. */
export function exportSessions(db: Queryable, userId: string): Promise<ExportRow[]> {
  return rows(
    db,
    `SELECT family_id, created_at, expires_at, used_at, revoked_at, revoked_reason
    FROM refresh_tokens WHERE user_id = $1 ORDER BY created_at`,
    [userId],
  );
}

/** E-mails queued for the user: what and when, without their payload (a reset link is a credential while it lives). */
export function exportEmails(db: Queryable, userId: string): Promise<ExportRow[]> {
  return rows(
    db,
    `SELECT kind, status, attempts, created_at, sent_at FROM email_outbox WHERE user_id = $1 ORDER BY email_id`,
    [userId],
  );
}

export function exportPasswordResets(db: Queryable, userId: string): Promise<ExportRow[]> {
  return rows(
    db,
    `SELECT created_at, expires_at, used_at FROM password_reset_tokens WHERE user_id = $1 ORDER BY created_at`,
    [userId],
  );
}

/** The Fantrax link without its Secret ID (the encrypted columns are left out by name). */
export async function exportFantraxLink(db: Queryable, userId: string): Promise<ExportRow[]> {
  const columns = await exportableColumns(db, 'fantrax_links');
  if (columns.length === 0) return [];
  return rows(db, `SELECT ${columns.map(quoteIdent).join(', ')} FROM fantrax_links WHERE user_id = $1`, [userId]);
}

/** Every roster the user's Fantrax syncs stored (the teams of his leagues, as each sync saw them). */
export function exportFantraxRosters(db: Queryable, userId: string): Promise<ExportRow[]> {
  return rows(
    db,
    `SELECT s.sync_id, s.started_at, r.league_id, r.team_id, r.fantrax_id, r.roster_status, r.position
    FROM fantrax_syncs s JOIN fantrax_roster_entries r ON r.sync_id = s.sync_id
    WHERE s.user_id = $1 ORDER BY s.sync_id, r.league_id, r.team_id, r.fantrax_id`,
    [userId],
  );
}

/**
 * Audit entries by or about the user. Another person's id as actor (an admin who changed the role) is that person's
 * data, so it shows as 'another user'; the user's own id as 'you'.
 */
export function exportAudit(db: Queryable, userId: string): Promise<ExportRow[]> {
  return rows(
    db,
    `SELECT at, action, details,
      CASE WHEN actor = $1 THEN 'you' WHEN actor ~* '^[0-9a-f]{8}-[0-9a-f]{4}-' THEN 'another user' ELSE actor END AS actor,
      CASE WHEN subject = $1 THEN 'you' WHEN subject ~* '^[0-9a-f]{8}-[0-9a-f]{4}-' THEN 'another user' ELSE subject END AS subject
    FROM audit_log WHERE actor = $1 OR subject = $1 ORDER BY audit_id`,
    [userId],
  );
}

/** Every other table with a user_id column, as table name → the user's rows (secret and binary columns left out). */
export async function exportDiscoveredTables(db: Queryable, userId: string): Promise<Record<string, ExportRow[]>> {
  const { rows: tables } = await db.query<{ table_name: string }>(
    `SELECT c.table_name FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
     WHERE c.table_schema = current_schema() AND c.column_name = 'user_id' ORDER BY c.table_name`,
  );
  const out: Record<string, ExportRow[]> = {};
  for (const { table_name: table } of tables) {
    if (NAMED_TABLES.has(table)) continue;
    const columns = await exportableColumns(db, table);
    out[table] = await rows(
      db,
      `SELECT ${columns.map(quoteIdent).join(', ')} FROM ${quoteIdent(table)} WHERE user_id = $1`,
      [userId],
    );
  }
  return out;
}

async function exportableColumns(db: Queryable, table: string): Promise<string[]> {
  const { rows: columns } = await db.query<{ column_name: string; data_type: string }>(
    `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return columns.filter((c) => c.data_type !== 'bytea' && !SECRET_COLUMN.test(c.column_name)).map((c) => c.column_name);
}

/** Names come from the catalog, but are quoted all the same. */
function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

// --- erasure ---

/** The account's Stripe customers (on the user and on its subscriptions), under the user row's lock. */
export async function stripeCustomersOf(db: Queryable, userId: string): Promise<string[]> {
  const { rows: found } = await db.query<{ id: string }>(
    `SELECT stripe_customer_id AS id FROM users WHERE user_id = $1 AND stripe_customer_id IS NOT NULL
     UNION SELECT stripe_customer_id FROM subscriptions WHERE user_id = $1`,
    [userId],
  );
  return found.map((r) => r.id);
}

/** The account's Stripe subscriptions (audit entries about a subscription, e.g. its compensation, name it by id). */
export async function stripeSubscriptionsOf(db: Queryable, userId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT stripe_subscription_id AS id FROM subscriptions WHERE user_id = $1`,
    [userId],
  );
  return rows.map((r) => r.id);
}

/**
 * The outbox keeps its history (for the send counts) but nothing of the person: pending mail is cancelled, every
 * row loses its payload, error text and dedupe key (which may embed the user id), and its link to the user.
 */
export async function eraseOutbox(db: Queryable, userId: string): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE email_outbox SET
       status = CASE WHEN status IN ('pending', 'sending', 'failed') THEN 'cancelled' ELSE status END,
       payload = '{}', last_error = NULL, dedupe_key = 'erased:' || email_id, user_id = NULL
     WHERE user_id = $1 OR strpos(dedupe_key, $1::text) > 0`,
    [userId],
  );
  return rowCount ?? 0;
}

/** Stripe events keep their ids (each is applied once) but not the customer they were about. */
export async function eraseStripeEventCustomers(db: Queryable, customerIds: readonly string[]): Promise<void> {
  if (customerIds.length === 0) return;
  await db.query(`UPDATE stripe_events SET stripe_customer_id = NULL WHERE stripe_customer_id = ANY($1)`, [
    customerIds,
  ]);
}

/**
 * Audit entries by, about or mentioning the user stay (the log is append-only evidence), with the user's id replaced
 * by the pseudonym and their details cut down to numbers, booleans and short lower-case words (roles, statuses):
 * ids, times, addresses and free text go.
 */
export async function pseudonymizeAudit(
  db: Queryable,
  userId: string,
  pseudonym: string,
  needles: readonly string[],
): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE audit_log SET
       actor = CASE WHEN actor = ANY($3) THEN $2 ELSE actor END,
       subject = CASE WHEN subject = ANY($3) THEN $2 ELSE subject END,
       details = (SELECT coalesce(jsonb_object_agg(key, value), '{}'::jsonb) FROM jsonb_each(details)
                  WHERE jsonb_typeof(value) IN ('number', 'boolean')
                     OR (jsonb_typeof(value) = 'string' AND (value #>> '{}') ~ '^[a-z_]{1,32}$'))
     WHERE actor = $1 OR subject = $1
        OR EXISTS (SELECT 1 FROM unnest($3::text[]) n WHERE strpos(actor || ' ' || coalesce(subject, '') || ' ' || details::text, n) > 0)`,
    [userId, pseudonym, needles],
  );
  return rowCount ?? 0;
}

/** Queues the Stripe customers for deletion (rows go once Stripe confirmed it: billing/customer-deletions.ts). */
export async function queueStripeCustomerDeletions(
  db: Queryable,
  customerIds: readonly string[],
  at: Date,
): Promise<void> {
  if (customerIds.length === 0) return;
  await db.query(
    `INSERT INTO stripe_customer_deletions (stripe_customer_id, requested_at, next_attempt_at)
     SELECT id, $2, $2 FROM unnest($1::text[]) id ON CONFLICT (stripe_customer_id) DO NOTHING`,
    [customerIds, at],
  );
}

/** Deletes the account; everything referencing it with ON DELETE CASCADE goes with it. */
export async function deleteUserRow(db: Queryable, userId: string): Promise<boolean> {
  const { rowCount } = await db.query(`DELETE FROM users WHERE user_id = $1`, [userId]);
  return (rowCount ?? 0) > 0;
}

// --- Stripe customers awaiting deletion ---

export async function dueStripeCustomerDeletions(
  db: Queryable,
  now: Date,
  limit: number,
): Promise<{ customerId: string; attempts: number }[]> {
  const { rows: due } = await db.query<{ stripe_customer_id: string; attempts: number }>(
    `SELECT stripe_customer_id, attempts FROM stripe_customer_deletions WHERE next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2`,
    [now, limit],
  );
  return due.map((r) => ({ customerId: r.stripe_customer_id, attempts: r.attempts }));
}

export async function stripeCustomerDeleted(db: Queryable, customerId: string): Promise<void> {
  await db.query(`DELETE FROM stripe_customer_deletions WHERE stripe_customer_id = $1`, [customerId]);
}

export async function stripeCustomerDeletionFailed(
  db: Queryable,
  customerId: string,
  error: string,
  nextAttemptAt: Date,
): Promise<void> {
  await db.query(
    `UPDATE stripe_customer_deletions SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3 WHERE stripe_customer_id = $1`,
    [customerId, error.slice(0, 500), nextAttemptAt],
  );
}
