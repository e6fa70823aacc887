/**
 * Secrets generated once into the data dir for local runs (a setting left unset): created with mode 0600 by whichever
 * process comes first, read by every later one, so restarts and the API and worker processes agree on the value.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The secret stored as `<dataDir>/secrets/<name>`, created (32 random bytes, base64url: 43 characters) when absent.
 * Creation is exclusive (`wx`), so two processes starting together end up with the same secret.
 * @example const secret = await localSecret(config.dataDir, 'link-signing-secret');
 */
export async function localSecret(dataDir: string, name: string): Promise<string> {
  if (!/^[a-z0-9-]+$/.test(name))
    throw new TypeError(`secret name must be lower-case letters, digits and dashes, got "${name}"`);
  const dir = path.join(dataDir, 'secrets');
  const file = path.join(dir, name);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  try {
    const handle = await open(file, 'wx', 0o600);
    try {
      const secret = randomBytes(32).toString('base64url');
      await handle.writeFile(secret);
      return secret;
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // Another process may have created it a moment ago and not written it yet: wait for the content.
  for (let tries = 0; tries < 50; tries++) {
    const secret = (await readFile(file, 'utf8')).trim();
    if (secret) return secret;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${file} is empty: delete it to have a new secret generated`);
}

/** The secret that signs unsubscribe links and password-reset tokens: LINK_SIGNING_SECRET, or the local one. */
export async function linkSigningSecret(config: {
  dataDir: string;
  linkSigningSecret: string | undefined;
}): Promise<string> {
  return config.linkSigningSecret ?? localSecret(config.dataDir, 'link-signing-secret');
}
