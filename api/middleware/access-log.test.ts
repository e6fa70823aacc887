// The access log of the whole app (every middleware and route in place): one JSON line per request with its id, method,
// route pattern, status, duration and, once authenticated, the user; never a credential. The app is built over the
// test API's deps with a logger of its own whose lines this test reads.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../lib/log.ts';
import { createTestApi, type TestApi } from '../../test/api.ts';
import { createUser, type ApiUnderTest } from '../../test/api-users.ts';
import { createApp } from '../app.ts';

interface AccessLine {
  msg: string;
  requestId: string;
  method: string;
  path: string;
  route: string;
  status: number;
  ms: number;
  userId?: string;
}

/** The production logger (its name, level handling and redaction), writing to memory instead of stdout. */
function capturedLogger() {
  const raw: string[] = [];
  const log = createLogger({ level: 'info', name: 'access-log-test' });
  (log as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { log, raw };
}

describe('access log', () => {
  let api: TestApi;
  let app: ApiUnderTest['app'];
  let raw: string[];
  beforeAll(async () => {
    api = await createTestApi();
    const captured = capturedLogger();
    raw = captured.raw;
    app = createApp({ ...api.deps, log: captured.log });
  });
  afterAll(async () => {
    await api?.close();
  });

  const lines = () => raw.map((line) => JSON.parse(line) as Record<string, unknown>);
  const accessLines = () =>
    lines().filter((line) => line['msg'] === 'request' || line['msg'] === 'request failed') as unknown as AccessLine[];

  it('writes one line per request: its id (the x-request-id header), method, route pattern, status, ms and user', async () => {
    // Registers and logs in through this app: two POSTs carrying the password.
    const user = await createUser({ app, deps: api.deps });
    const sent: { res: Response; method: string; route: string; status: number; userId?: string }[] = [];
    const send = async (
      method: string,
      path: string,
      expected: { route: string; status: number; userId?: string },
      headers: Record<string, string> = {},
    ) => {
      const res = await app.request(path, { method, headers });
      expect(res.status).toBe(expected.status);
      await res.arrayBuffer();
      sent.push({ res, method, ...expected });
    };
    await send(
      'GET',
      '/api/v1/users/me',
      { route: '/api/v1/users/:userId', status: 200, userId: user.userId },
      { authorization: `Bearer ${user.accessToken}` },
    );
    await send('GET', '/healthz', { route: '/healthz', status: 200 }, { 'x-request-id': 'given-request-id-1' });
    await send('GET', '/api/v1/prospects?page=0', { route: '/api/v1/prospects', status: 400 });
    await send(
      'GET',
      '/api/v1/users/me',
      { route: '/api/v1/users/:userId', status: 401 },
      { authorization: 'Bearer not.a.token' },
    );

    const access = accessLines();
    // The register and login, then one per request above.
    expect(access).toHaveLength(2 + sent.length);
    expect(access.slice(0, 2)).toMatchObject([
      { method: 'POST', route: '/api/v1/auth/register', status: 202 },
      { method: 'POST', route: '/api/v1/auth/login', status: 200 },
    ]);
    expect(sent[1]!.res.headers.get('x-request-id')).toBe('given-request-id-1');
    for (const [i, request] of sent.entries()) {
      const line = access[2 + i]!;
      expect(line.requestId).toBe(request.res.headers.get('x-request-id'));
      expect(access.filter((other) => other.requestId === line.requestId)).toHaveLength(1);
      expect(line).toMatchObject({ method: request.method, route: request.route, status: request.status });
      expect(line.userId).toBe(request.userId);
      expect(typeof line.ms).toBe('number');
      expect(line.ms).toBeGreaterThanOrEqual(0);
    }

    // No line at all (access or other) holds a credential.
    const text = raw.join('\n');
    expect(text).not.toContain(user.password);
    expect(text).not.toContain(user.accessToken);
    expect(text).not.toContain(user.refreshToken);
    expect(text).not.toContain('not.a.token');
    expect(text.toLowerCase()).not.toContain('bearer');
  });
});
