import { createServer } from 'node:net';
import { describe, expect, inject, it } from 'vitest';
import { createLogger } from '../lib/log.ts';
import { PrerequisiteError } from '../lib/prerequisite-error.ts';
import { awaitTemporalServer, needsDevServer } from './temporal-server.ts';

describe('needsDevServer', () => {
  it('offers the dev server (and so needs the Temporal CLI) only for an address on this machine', () => {
    for (const address of [
      '127.0.0.1:7233',
      '127.0.0.1:17233',
      '127.1.2.3:7233',
      'localhost:7233',
      'LOCALHOST:7233',
      '0.0.0.0:7233',
    ]) {
      expect(needsDevServer(address), address).toBe(true);
    }
  });

  it('treats any other TEMPORAL_ADDRESS as a real server, as temporal-compose.yml sets it', () => {
    for (const address of [
      'temporal:7233',
      'temporal.internal:7233',
      '10.0.0.5:7233',
      '127.example.com:7233',
      'localhost.example:7233',
    ]) {
      expect(needsDevServer(address), address).toBe(false);
    }
  });
});

describe('awaitTemporalServer', () => {
  it('hands back a server that answers, owned by someone else', async () => {
    const server = await awaitTemporalServer({
      address: inject('temporalAddress'),
      uiPort: 8233,
      log: createLogger({ level: 'silent' }),
      timeoutMs: 10_000,
    });
    expect(server).toMatchObject({ address: inject('temporalAddress'), owned: false });
    await server.stop();
  });

  it('gives up with a PrerequisiteError naming TEMPORAL_ADDRESS when nothing answers there', async () => {
    // A port that accepts nothing: reserve one, then close it.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const waiting = awaitTemporalServer({
      address: `127.0.0.1:${port}`,
      uiPort: 8233,
      log: createLogger({ level: 'silent' }),
      timeoutMs: 1500,
    });
    await expect(waiting).rejects.toBeInstanceOf(PrerequisiteError);
    await expect(waiting).rejects.toThrow(`TEMPORAL_ADDRESS=127.0.0.1:${port}`);
  });
});
