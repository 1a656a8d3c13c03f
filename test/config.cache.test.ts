import { existsSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_RACY_MS, configCacheFile, loadConfigCached } from '../src/config/cache.js';
import { loadConfig } from '../src/config/load.js';
import { FakeClock } from '../src/core/clock.js';
import { ExitError } from '../src/core/errors.js';
import { type Layout, layoutFor } from '../src/core/paths.js';
import { runTick } from '../src/scheduler/tick.js';
import { fleetProject } from './helpers/fleet.js';
import { tempDir } from './helpers/tmp.js';

const YAML =
  'model: proposal\nagents:\n  - {name: sec, role: proposer, focus: security, interval_seconds: 60}\n  - {name: c, role: curator}\n';

function project(text: string): Layout {
  const layout = layoutFor(tempDir());
  mkdirSync(layout.dir, { recursive: true });
  writeConfig(layout, text);
  return layout;
}

/**
 * Write agents.yaml with an mtime well in the past, as a file edited minutes ago has: old enough to be kept.
 * A whole second, so setting it again gives the very same mtime (a fraction goes through a float and may not).
 */
function writeConfig(layout: Layout, text: string, mtimeMs = Math.floor(Date.now() / 1000) * 1000 - 60_000): void {
  writeFileSync(layout.agentsYaml, text);
  utimesSync(layout.agentsYaml, mtimeMs / 1000, mtimeMs / 1000);
}

/** The ctime (which no tool can set back) must be old enough too: load as if a minute had passed. */
const later = () => ({ write: true, now: Date.now() + 60_000 });

function cacheText(layout: Layout): string {
  return readFileSync(configCacheFile(layout), 'utf8');
}

async function failure(p: Promise<unknown>): Promise<ExitError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ExitError);
  return err as ExitError;
}

describe('the parsed agents.yaml kept between ticks', () => {
  it('gives what loadConfig gives, and is used while the file is unchanged', async () => {
    const layout = project(YAML);
    const first = await loadConfigCached(layout, later());
    expect(first).toEqual(await loadConfig(layout));
    expect(first.warnings.map((w) => w.path)).toEqual(['agents[0].focus']);
    // The next load answers from the cache: a value only the cache holds proves it.
    const cached = JSON.parse(cacheText(layout));
    cached.config.agents[0].interval_seconds = 12_345;
    writeFileSync(configCacheFile(layout), JSON.stringify(cached));
    const second = await loadConfigCached(layout, later());
    expect(second.config.agents[0]!.interval_seconds).toBe(12_345);
    expect(second.warnings).toEqual(first.warnings);
  });

  it('an edit that keeps the size and even the mtime is read: the ctime changed', async () => {
    const layout = project(YAML);
    await loadConfigCached(layout, later());
    const mtime = statSync(layout.agentsYaml).mtimeMs;
    const edited = YAML.replace('interval_seconds: 60', 'interval_seconds: 90');
    expect(edited.length).toBe(YAML.length);
    writeConfig(layout, edited, mtime);
    expect(statSync(layout.agentsYaml).mtimeMs).toBe(mtime);
    expect((await loadConfigCached(layout, later())).config.agents[0]!.interval_seconds).toBe(90);
  });

  it('a prompt file added is an input of validation: the warning it answers goes', async () => {
    const layout = project(YAML);
    expect((await loadConfigCached(layout, later())).warnings).toHaveLength(1);
    mkdirSync(layout.prompts);
    writeFileSync(path.join(layout.prompts, 'security.md'), 'Look for injection.\n');
    expect((await loadConfigCached(layout, later())).warnings).toEqual([]);
  });

  it('a damaged cache file is ignored and written again', async () => {
    const layout = project(YAML);
    for (const damage of ['{"sign":', 'null\n', '{"sign":"x"}', '[]']) {
      writeFileSync(configCacheFile(layout), damage);
      const loaded = await loadConfigCached(layout, later());
      expect(loaded).toEqual(await loadConfig(layout));
      expect(JSON.parse(cacheText(layout)).config.agents[0].name).toBe('sec');
    }
  });

  it('a config with problems is refused with the same message every time and never kept', async () => {
    const layout = project(YAML);
    await loadConfigCached(layout, later());
    const kept = cacheText(layout);
    writeConfig(layout, 'model: tasks\nagents:\n  - name: a\n    role: tester\n    interval_seconds: 5m\n');
    const expected = await failure(loadConfig(layout));
    for (let i = 0; i < 2; i++) {
      const err = await failure(loadConfigCached(layout, later()));
      expect(err.message).toBe(expected.message);
      expect(err.details).toEqual(expected.details);
      expect(err.exitCode).toBe(1);
    }
    expect(cacheText(layout)).toBe(kept);
    const missing = project(YAML);
    writeConfig(missing, 'paused: maybe\n');
    await failure(loadConfigCached(missing, later()));
    expect(existsSync(configCacheFile(missing))).toBe(false);
  });

  it('a file changed within the racy window is parsed but not kept', async () => {
    const layout = project(YAML);
    await loadConfigCached(layout, { write: true, now: Date.now() + CONFIG_RACY_MS - 500 });
    expect(existsSync(configCacheFile(layout))).toBe(false);
    await loadConfigCached(layout, { write: false, now: Date.now() + 60_000 });
    expect(existsSync(configCacheFile(layout))).toBe(false);
  });

  it('through the tick: an agent added to agents.yaml is planned at the next tick; a dry run writes no cache', async () => {
    const yaml =
      'review:\n  backend: local\nagents:\n  - name: impl-1\n    role: implementer\n    interval_seconds: 60\n';
    const layout = await fleetProject(yaml);
    const clock = new FakeClock('2026-03-10T12:00:00Z');
    await runTick(layout, { clock, dryRun: true });
    expect(existsSync(configCacheFile(layout))).toBe(false);
    const spawner = async () => ({ pid: process.pid });
    const names = async () => {
      const report = await runTick(layout, { clock, spawner });
      if (!report.ran) throw new Error(report.reason);
      return report.plan.decisions.map((d) => d.agent);
    };
    // Kept as a tick a minute after the edit keeps it (a test cannot set the ctime back).
    writeConfig(layout, yaml);
    await loadConfigCached(layout, later());
    const cached = JSON.parse(cacheText(layout));
    cached.config.agents[0].name = 'from-cache';
    writeFileSync(configCacheFile(layout), JSON.stringify(cached));
    expect(await names()).toEqual(['from-cache']);
    writeConfig(layout, `${yaml}  - name: impl-2\n    role: implementer\n    interval_seconds: 60\n`);
    expect(await names()).toEqual(['impl-1', 'impl-2']);
    // Parsed again, and not kept: the edit is too recent to trust its stamps.
    expect(JSON.parse(cacheText(layout)).config.agents[0].name).toBe('from-cache');
  });
});
