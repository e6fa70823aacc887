import { describe, expect, it } from 'vitest';
import { pseudonymFor, pseudonymPepper } from './pseudonym.ts';

describe('the pseudonym of an erased account', () => {
  const id = '0b7e2f0c-3f7a-4c59-9f7e-2b1d7d9d4c11';

  it('is stable for one id (any casing) and names neither the id nor a plain hash of it', () => {
    const pepper = 'a pepper of at least thirty-two characters';
    const name = pseudonymFor(id, pepper);
    expect(name).toMatch(/^deleted-user:[0-9a-f]{16}$/);
    expect(pseudonymFor(id.toUpperCase(), pepper)).toBe(name);
    expect(name).not.toContain(id.slice(0, 8));
    expect(pseudonymFor(id, 'another pepper, just as long as the first')).not.toBe(name);
    expect(pseudonymFor('1b7e2f0c-3f7a-4c59-9f7e-2b1d7d9d4c11', pepper)).not.toBe(name);
  });

  it('is peppered with LINK_SIGNING_SECRET when set', async () => {
    expect(await pseudonymPepper({ dataDir: '/nonexistent', linkSigningSecret: 'x'.repeat(32) })).toBe('x'.repeat(32));
  });
});
