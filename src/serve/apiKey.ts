import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ignoreMissing } from '../core/errors.js';
import type { Layout } from '../core/paths.js';

export type ApiKeySource = 'env' | 'file' | 'generated';

export interface ApiKey {
  key: string;
  source: ApiKeySource;
  /** The key file, when the key is kept in one. */
  file?: string;
}

export function apiKeyFile(layout: Layout): string {
  return path.join(layout.dir, 'api-key');
}

/**
 * The key writes need: `TICKFLEET_API_KEY` when set, else the one in
 * `.orchestrator/api-key`, else a new random one written there. The file is
 * the owner's only (0600); a file found with a looser mode is tightened, as
 * the key in it is only as secret as the file.
 */
export async function resolveApiKey(layout: Layout, env: NodeJS.ProcessEnv = process.env): Promise<ApiKey> {
  const fromEnv = env.TICKFLEET_API_KEY?.trim();
  if (fromEnv) return { key: fromEnv, source: 'env' };
  const file = apiKeyFile(layout);
  const existing = (await fs.readFile(file, 'utf8').catch(ignoreMissing))?.trim();
  if (existing) {
    const { mode } = await fs.stat(file);
    if ((mode & 0o077) !== 0) await fs.chmod(file, 0o600);
    return { key: existing, source: 'file', file };
  }
  const key = randomBytes(24).toString('base64url');
  // `wx` and the mode at creation: the key is never readable by others, not even for an instant.
  const handle = await fs.open(file, existing === undefined ? 'wx' : 'w', 0o600);
  try {
    await handle.writeFile(`${key}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.chmod(file, 0o600);
  return { key, source: 'generated', file };
}
