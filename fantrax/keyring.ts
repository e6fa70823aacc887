/**
 * Where the Fantrax keyring comes from: `config.fantrax.secretKeys` when set, otherwise one key generated once into
 * the data dir (`fantrax-keys`, mode 0600), so a local install keeps opening its own secrets across restarts.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../lib/config.ts';
import { formatKeyring, generateKey, parseKeyring, type Keyring } from './secret-box.ts';

export const KEY_FILE = 'fantrax-keys';

export async function loadKeyring(config: Pick<Config, 'dataDir' | 'fantrax'>): Promise<Keyring> {
  if (config.fantrax.secretKeys) return parseKeyring(config.fantrax.secretKeys);
  const file = path.join(config.dataDir, KEY_FILE);
  try {
    return parseKeyring(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(config.dataDir, { recursive: true });
  const keyring = { keys: [generateKey(`local-${new Date().toISOString().slice(0, 10)}`)] };
  try {
    // 'wx': two processes starting at once must not overwrite each other's key; the loser reads the winner's.
    await writeFile(file, `${formatKeyring(keyring)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return parseKeyring(await readFile(file, 'utf8'));
  }
  await chmod(file, 0o600);
  return keyring;
}
