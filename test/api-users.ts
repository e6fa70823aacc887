/**
 * Accounts for API tests: `createUser(api, role)` registers and logs in through the real routes (so every test's
 * tokens are real ones), and raises the role with db/users.ts `setRole` first, as `npm run users -- set-role` would.
 */
import { randomUUID } from 'node:crypto';
import type { Role } from '../api/env.ts';
import type { Pool } from '../lib/db.ts';
import { setRole, userByEmail } from '../db/users.ts';

/** What of test/api.ts's `createTestApi()` this needs. */
export interface ApiUnderTest {
  app: { request(input: string, init?: RequestInit): Response | Promise<Response> };
  deps: { pool: Pool };
}

export interface TestUser {
  userId: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  expiresIn: number;
}

async function post(
  api: ApiUnderTest,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return api.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** Logs in through POST /api/v1/auth/login; throws unless it answers 200. */
export async function login(
  api: ApiUnderTest,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<TokenPair> {
  const res = await post(api, '/api/v1/auth/login', { email, password }, headers);
  if (res.status !== 200) throw new Error(`login of ${email} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as TokenPair;
}

export async function createUser(
  api: ApiUnderTest,
  role: Role = 'free',
  overrides: { email?: string; password?: string } = {},
): Promise<TestUser> {
  const email = overrides.email ?? `user-${randomUUID()}@example.test`;
  const password = overrides.password ?? `correct horse ${randomUUID()}`;
  const registered = await post(api, '/api/v1/auth/register', { email, password });
  if (registered.status !== 202)
    throw new Error(`register of ${email} answered ${registered.status}: ${await registered.text()}`);
  const user = await userByEmail(api.deps.pool, email.trim().normalize('NFKC').toLowerCase());
  if (!user) throw new Error(`register of ${email} created no account (was the address taken?)`);
  if (role !== 'free') await setRole(api.deps.pool, user.userId, role);
  const tokens = await login(api, email, password);
  return {
    userId: user.userId,
    email: user.email,
    password,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
  };
}
