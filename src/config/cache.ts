import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../core/atomicFile.js';
import { type Layout, packageRoot } from '../core/paths.js';
import type { Config, ConfigProblem } from './agentsConfig.js';
import { type LoadedConfig, problemsError, promptNames, readConfigText } from './load.js';
import { validateConfig } from './validate/validate.js';

/**
 * The tick's agents.yaml, parsed and validated once per change of the file
 * rather than every minute: a config that validated clean is kept in
 * `.orchestrator/config-cache.json` under the sign of everything validation
 * depends on, and used while that sign is unchanged. The sign is the file's
 * path, device, inode, size, mtime and ctime in nanoseconds (a replacement
 * changes the inode, an edit in place the times, an edit by a tool that
 * restores the mtime still the ctime), the prompt files' names (the only
 * other input of validation), and the program's own version and file (a
 * new tickfleet may read the same file otherwise). Anything that differs,
 * or a cache that cannot be read or has another shape, means the full parse;
 * a config with problems is never kept, so its problems are reported exactly
 * as `loadConfig` reports them, every tick.
 */
export function configCacheFile(layout: Layout): string {
  return path.join(layout.dir, 'config-cache.json');
}

/**
 * A file changed within this long of its sign being taken may change again
 * within the same clock tick of a coarse-grained filesystem, keeping its
 * times: such a sign is not kept (the next tick parses again and keeps it).
 * The queue index trusts stamps by the same rule (tasks/queueIndex/stamp.ts).
 */
export const CONFIG_RACY_MS = 2_000;

const CACHE_VERSION = 1;

interface CacheFile {
  sign: string;
  config: Config;
  warnings: ConfigProblem[];
}

export interface CachedLoadOptions {
  /** Keep a newly validated config (false for a dry run, which writes nothing). */
  write: boolean;
  /** Now, in ms (tests). */
  now?: number;
}

/** `loadConfig` with the cache: the same config, warnings and errors. */
export async function loadConfigCached(layout: Layout, options: CachedLoadOptions): Promise<LoadedConfig> {
  const prompts = await promptNames(layout);
  const before = await configSign(layout, prompts);
  const cached = before === undefined ? undefined : await readCache(layout, before.sign);
  if (cached) return cached;
  const text = await readConfigText(layout);
  const result = validateConfig(text, layout.agentsYaml, { promptNames: prompts });
  if (!result.config) throw problemsError(layout, result.problems);
  const loaded = { config: result.config, warnings: result.warnings };
  const after = await configSign(layout, prompts);
  const now = options.now ?? Date.now();
  // The sign must be the one the text was read under, and old enough to be trusted.
  if (options.write && before && after?.sign === before.sign && now - before.changedMs >= CONFIG_RACY_MS)
    await writeCache(layout, { sign: before.sign, ...loaded });
  return loaded;
}

async function configSign(
  layout: Layout,
  prompts: ReadonlySet<string>,
): Promise<{ sign: string; changedMs: number } | undefined> {
  try {
    const st = await fs.stat(layout.agentsYaml, { bigint: true });
    const sign = JSON.stringify([
      CACHE_VERSION,
      await programSign(),
      layout.agentsYaml,
      `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`,
      [...prompts].sort(),
    ]);
    return { sign, changedMs: Math.max(Number(st.mtimeNs / 1_000_000n), Number(st.ctimeNs / 1_000_000n)) };
  } catch {
    // Unreadable or missing: the full path says so in its own words.
    return undefined;
  }
}

let program: Promise<string> | undefined;

/** The running tickfleet: its package version, and the inode, size and mtime of this code's file. */
function programSign(): Promise<string> {
  program ??= (async () => {
    const pkg = await fs.readFile(path.join(packageRoot(), 'package.json'), 'utf8').catch(() => '');
    const version = (/"version"\s*:\s*"([^"]*)"/.exec(pkg) ?? [])[1] ?? '?';
    const st = await fs.stat(fileURLToPath(import.meta.url), { bigint: true });
    return `${version}:${st.ino}:${st.size}:${st.mtimeNs}`;
  })();
  return program;
}

async function readCache(layout: Layout, sign: string): Promise<LoadedConfig | undefined> {
  let parsed: Partial<CacheFile>;
  try {
    parsed = JSON.parse(await fs.readFile(configCacheFile(layout), 'utf8')) as Partial<CacheFile>;
  } catch {
    return undefined; // missing or damaged: parse the file, which rewrites it
  }
  if (parsed === null || typeof parsed !== 'object' || parsed.sign !== sign) return undefined;
  const { config, warnings } = parsed;
  if (config === null || typeof config !== 'object' || !Array.isArray(config.agents) || !Array.isArray(warnings))
    return undefined;
  return { config, warnings };
}

async function writeCache(layout: Layout, content: CacheFile): Promise<void> {
  try {
    await writeFileAtomic(configCacheFile(layout), `${JSON.stringify(content)}\n`, { overwrite: true });
  } catch {
    // Only a cache: a tick that cannot keep it (a read-only .orchestrator/) parses again next time.
  }
}
