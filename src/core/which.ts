import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/** Where `which` would find `name` on `searchPath`, or undefined. */
export function which(name: string, searchPath: string | undefined): string | undefined {
  for (const dir of (searchPath ?? '').split(path.delimiter)) {
    if (dir === '' || !path.isAbsolute(dir)) continue; // a relative entry means nothing under cron
    const candidate = path.join(dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here, or not executable: keep looking, as `which` does
    }
  }
  return undefined;
}
