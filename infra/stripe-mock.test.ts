import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { createLogger } from '../lib/log.ts';
import { PrerequisiteError } from '../lib/prerequisite-error.ts';
import { freePort } from '../test/ports.ts';
import { cachedStripeMockPath, locateStripeMock, startStripeMock, stripeMockAnswers } from './stripe-mock.ts';

const log = createLogger({ level: 'silent', name: 'stripe-mock-test' });

describe('stripe-mock', () => {
  it('is located through STRIPE_MOCK_PATH, the PATH or the cache, and a wrong STRIPE_MOCK_PATH says so', () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'afwd-no-stripe-mock-'));
    expect(locateStripeMock({ PATH: empty, AFWD_CACHE_DIR: empty })).toBeUndefined();
    expect(cachedStripeMockPath({ AFWD_CACHE_DIR: '/c' })).toBe('/c/stripe-mock/v0.203.0/stripe-mock');
    expect(() => locateStripeMock({ STRIPE_MOCK_PATH: path.join(empty, 'missing') })).toThrow(PrerequisiteError);
    expect(locateStripeMock()).toBeDefined();
  });

  it('starts on a port, answers, reuses one already answering there, and stops on close', async () => {
    const port = await freePort();
    const mock = await startStripeMock({ port, log });
    try {
      expect(mock).toMatchObject({ url: `http://127.0.0.1:${port}`, owned: true });
      expect(await stripeMockAnswers(mock.url)).toBe(true);
      const again = await startStripeMock({ port, log });
      expect(again.owned).toBe(false);
      await again.close();
      expect(await stripeMockAnswers(mock.url)).toBe(true);
    } finally {
      await mock.close();
    }
    expect(await stripeMockAnswers(mock.url)).toBe(false);
  });

  it("is the run's Stripe for the tests", async () => {
    expect(await stripeMockAnswers(inject('stripeMockUrl'))).toBe(true);
  });
});
