/**
 * The requests each route class of the load test sends, in turn: its planned requests, each with the next client
 * address in X-Forwarded-For (the API runs with API_TRUST_PROXY=1) and, for premium, the next user's token. The
 * rotation is long enough that every address comes round, so at a given rate each address, and each user, sends an
 * even share: far below the API's per-address and per-user limits, which the load test is not about.
 */
import type { OpenLoopRequest } from './api-open-loop.ts';
import type { ClassPlan } from './loadtest-generator-process.ts';

/** The i-th client address: 10.x.y.z, a private range. */
export function clientAddress(i: number): string {
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}

export function rotation(cls: Pick<ClassPlan, 'requests' | 'tokens'>, clientAddresses: number): OpenLoopRequest[] {
  if (cls.requests.length === 0) throw new Error('a class needs at least one request');
  if (!Number.isInteger(clientAddresses) || clientAddresses < 1 || clientAddresses > 1 << 24)
    throw new Error(`clientAddresses must be a whole number from 1 to ${1 << 24}, got ${clientAddresses}`);
  const length = Math.max(cls.requests.length, clientAddresses, cls.tokens.length);
  return Array.from({ length }, (_, i) => {
    const planned = cls.requests[i % cls.requests.length]!;
    const headers: Record<string, string> = { 'x-forwarded-for': clientAddress(i % clientAddresses) };
    if (cls.tokens.length) headers.authorization = `Bearer ${cls.tokens[i % cls.tokens.length]!}`;
    return { method: planned.method, path: planned.path, headers };
  });
}
