/**
 * The caller's IP address, for anonymous rate limits and logs: the socket's peer (via @hono/node-server), or, when
 * API_TRUST_PROXY is set, the last X-Forwarded-For hop: the address our own proxy saw, which a client cannot forge
 * (anything a client sends itself stays to the left of it).
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** The address of a request with no socket (in-process `app.request`), so such callers share one bucket. */
export const UNKNOWN_IP = 'unknown';

export function lastForwardedHop(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const hops = header
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
  return hops.at(-1);
}

export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = lastForwardedHop(c.req.header('x-forwarded-for'));
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? UNKNOWN_IP;
  } catch {
    return UNKNOWN_IP;
  }
}
