import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../../test/api.ts';

const ALLOWED = 'https://rankings.example.test';

describe('CORS', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi({ env: { API_CORS_ORIGINS: ALLOWED } });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('answers an allowed origin with its CORS headers, on successes and on problems alike', async () => {
    for (const path of ['/healthz', '/api/v1/no-such-route', '/api/v1/prospects?page=0']) {
      const res = await api.request('GET', path, { headers: { origin: ALLOWED } });
      expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      expect(res.headers.get('access-control-expose-headers')).toBe(
        'X-Request-Id,RateLimit-Limit,RateLimit-Remaining,RateLimit-Reset,Retry-After',
      );
      expect(res.headers.get('vary')).toContain('Origin');
      // The other middleware's headers are all still there.
      expect(res.headers.get('x-request-id')).toBeTruthy();
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('gives another origin, or none, no Access-Control-Allow-Origin', async () => {
    const other = await api.request('GET', '/healthz', { headers: { origin: 'https://evil.example.test' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('vary')).toContain('Origin');
    const none = await api.request('GET', '/healthz');
    expect(none.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a preflight of an allowed origin with 204, the methods, headers and max age', async () => {
    const res = await api.request('OPTIONS', '/api/v1/ml/predict/1', {
      headers: {
        origin: ALLOWED,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('access-control-allow-methods')).toBe('GET,POST,PUT,PATCH,DELETE,OPTIONS');
    expect(res.headers.get('access-control-allow-headers')).toBe(
      'Authorization,Content-Type,X-Request-Id,X-Requested-With',
    );
    expect(res.headers.get('access-control-max-age')).toBe('600');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('lets the allowed origin send credentials (the refresh cookie) to the auth routes only', async () => {
    const preflight = await api.request('OPTIONS', '/api/v1/auth/refresh', {
      headers: {
        origin: ALLOWED,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-requested-with',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    const refresh = await api.request('POST', '/api/v1/auth/refresh', { headers: { origin: ALLOWED } });
    expect(refresh.status).toBe(400);
    expect(refresh.headers.get('access-control-allow-credentials')).toBe('true');
    const evil = await api.request('OPTIONS', '/api/v1/auth/refresh', {
      headers: { origin: 'https://evil.example.test', 'access-control-request-method': 'POST' },
    });
    expect(evil.headers.get('access-control-allow-credentials')).toBeNull();
    const elsewhere = await api.request('GET', '/healthz', { headers: { origin: ALLOWED } });
    expect(elsewhere.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('answers a preflight of another origin, or of none, without Access-Control-Allow-Origin', async () => {
    const preflights: Record<string, string>[] = [
      {
        origin: 'https://evil.example.test',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
      // A look-alike: the allowed origin as a prefix of another host.
      { origin: `${ALLOWED}.evil.example.test`, 'access-control-request-method': 'DELETE' },
      { 'access-control-request-method': 'POST' },
    ];
    for (const headers of preflights) {
      const res = await api.request('OPTIONS', '/api/v1/ml/predict/1', { headers });
      expect(res.status).toBeLessThan(500);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });
});
