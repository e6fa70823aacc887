/**
 * Accounts (`users`): created by registration, read by login and the profile routes, their role set by the admin
 * routes and `npm run users`. Emails arrive here already normalized (api/auth/email.ts); the table's check keeps
 * them so.
 */
import type { Queryable } from '../lib/db.ts';
import type { Role } from '../api/env.ts';

export interface UserRow {
  userId: string;
  email: string;
  role: Role;
  preferences: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
  lastLoginAt: Date | null;
}

export interface Credentials {
  userId: string;
  role: Role;
  passwordHash: string;
}

interface Row {
  user_id: string;
  email: string;
  role: Role;
  preferences: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
  last_login_at: Date | null;
}

const COLUMNS = 'user_id, email, role, preferences, created_at, updated_at, last_login_at';

function toUser(row: Row): UserRow {
  return {
    userId: row.user_id,
    email: row.email,
    role: row.role,
    preferences: row.preferences,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastLoginAt: row.last_login_at,
  };
}

/** Creates a free account; null when the email is taken (the caller must not say so). */
export async function createUser(db: Queryable, user: { email: string; passwordHash: string }): Promise<string | null> {
  const { rows } = await db.query<{ user_id: string }>(
    `INSERT INTO users (email, password_hash) VALUES ($1, $2) ON CONFLICT (email) DO NOTHING RETURNING user_id`,
    [user.email, user.passwordHash],
  );
  return rows[0]?.user_id ?? null;
}

export async function credentialsByEmail(db: Queryable, email: string): Promise<Credentials | null> {
  const { rows } = await db.query<{ user_id: string; role: Role; password_hash: string }>(
    `SELECT user_id, role, password_hash FROM users WHERE email = $1`,
    [email],
  );
  const row = rows[0];
  return row ? { userId: row.user_id, role: row.role, passwordHash: row.password_hash } : null;
}

export async function userById(db: Queryable, userId: string): Promise<UserRow | null> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM users WHERE user_id = $1`, [userId]);
  return rows[0] ? toUser(rows[0]) : null;
}

export async function userByEmail(db: Queryable, email: string): Promise<UserRow | null> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM users WHERE email = $1`, [email]);
  return rows[0] ? toUser(rows[0]) : null;
}

export async function recordLogin(db: Queryable, userId: string, at: Date): Promise<void> {
  await db.query(`UPDATE users SET last_login_at = $2 WHERE user_id = $1`, [userId, at]);
}

/** Sets the role; returns the account as it now is, or null when there is no such user. */
export async function setRole(db: Queryable, userId: string, role: Role): Promise<UserRow | null> {
  const { rows } = await db.query<Row>(
    `UPDATE users SET role = $2, updated_at = now() WHERE user_id = $1 RETURNING ${COLUMNS}`,
    [userId, role],
  );
  return rows[0] ? toUser(rows[0]) : null;
}

export async function setPreferences(
  db: Queryable,
  userId: string,
  preferences: Record<string, unknown>,
): Promise<UserRow | null> {
  const { rows } = await db.query<Row>(
    `UPDATE users SET preferences = $2, updated_at = now() WHERE user_id = $1 RETURNING ${COLUMNS}`,
    [userId, JSON.stringify(preferences)],
  );
  return rows[0] ? toUser(rows[0]) : null;
}

/** A page of accounts, oldest first (a stable order for paging), optionally of one role, with the total count. */
export async function listUsers(
  db: Queryable,
  options: { limit: number; offset: number; role?: Role | undefined },
): Promise<{ users: UserRow[]; total: number }> {
  const { rows } = await db.query<Row & { total: number }>(
    `SELECT ${COLUMNS}, count(*) OVER () AS total FROM users
     WHERE ($3::text IS NULL OR role = $3)
     ORDER BY created_at, user_id LIMIT $1 OFFSET $2`,
    [options.limit, options.offset, options.role ?? null],
  );
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && options.offset > 0) {
    const count = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM users WHERE ($1::text IS NULL OR role = $1)`,
      [options.role ?? null],
    );
    total = count.rows[0]?.n ?? 0;
  }
  return { users: rows.map(toUser), total };
}

/** Sets the role and says what it was (read under the row lock, for the audit log); null when there is no such user. */
export async function changeRole(
  db: Queryable,
  userId: string,
  role: Role,
): Promise<{ user: UserRow; previousRole: Role } | null> {
  const { rows } = await db.query<Row & { previous_role: Role }>(
    `UPDATE users u SET role = $2, updated_at = now()
     FROM (SELECT role AS previous_role FROM users WHERE user_id = $1 FOR UPDATE) old
     WHERE u.user_id = $1
     RETURNING u.user_id, u.email, u.role, u.preferences, u.created_at, u.updated_at, u.last_login_at, old.previous_role`,
    [userId, role],
  );
  const row = rows[0];
  return row ? { user: toUser(row), previousRole: row.previous_role } : null;
}

/** Replaces the password hash (a reset); false when there is no such user. */
export async function setPasswordHash(db: Queryable, userId: string, passwordHash: string): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE users SET password_hash = $2, updated_at = now() WHERE user_id = $1`, [
    userId,
    passwordHash,
  ]);
  return (rowCount ?? 0) > 0;
}

/** The account's e-mail and password hash (re-authentication); null when there is none. */
export async function credentialsById(
  db: Queryable,
  userId: string,
): Promise<{ email: string; passwordHash: string } | null> {
  const { rows } = await db.query<{ email: string; password_hash: string }>(
    `SELECT email, password_hash FROM users WHERE user_id = $1`,
    [userId],
  );
  const row = rows[0];
  return row ? { email: row.email, passwordHash: row.password_hash } : null;
}

/** The same under a row lock until the transaction ends (the erasure holds it); null when there is none. */
export async function lockCredentials(
  db: Queryable,
  userId: string,
): Promise<{ email: string; passwordHash: string } | null> {
  const { rows } = await db.query<{ email: string; password_hash: string }>(
    `SELECT email, password_hash FROM users WHERE user_id = $1 FOR UPDATE`,
    [userId],
  );
  const row = rows[0];
  return row ? { email: row.email, passwordHash: row.password_hash } : null;
}
