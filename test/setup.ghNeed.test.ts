import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDoctor } from '../src/doctor/doctor.js';
import { which as realWhich } from '../src/setup/searchPath.js';
import { runCli } from './helpers/cli.js';
import { fleetProject } from './helpers/fleet.js';
import { personEnv } from './helpers/installs.js';
import { git, tempDir } from './helpers/tmp.js';

const noGh = (name: string, p: string | undefined) => (name === 'gh' ? undefined : realWhich(name, p));

/** A PATH on which gh is surely missing: node's folder and the system folders, without any gh. */
function pathWithoutGh(): string {
  return [path.dirname(process.execPath), '/usr/bin', '/bin']
    .filter((d) => realWhich('gh', d) === undefined)
    .join(path.delimiter);
}

describe('setup and doctor agree on whether gh is needed', () => {
  it.each([
    { backend: 'local', remote: true, needed: false },
    { backend: 'auto', remote: false, needed: false },
    { backend: 'auto', remote: true, needed: true },
    { backend: 'github', remote: true, needed: true },
  ])('review.backend $backend, remote: $remote → gh needed: $needed', async ({ backend, remote, needed }) => {
    const layout = await fleetProject(
      `review:\n  backend: ${backend}\nagents:\n  - name: impl-1\n    role: implementer\n`,
    );
    if (remote) git(layout.root, 'remote', 'add', 'origin', tempDir('tickfleet-origin-'));

    const setup = await runCli(
      ['-C', layout.root, 'setup', 'cron', '--print'],
      personEnv({ PATH: pathWithoutGh(), HOME: tempDir('tickfleet-home-') }),
    );
    expect(setup.code).toBe(0);
    const setupWarns = setup.stderr.split('\n').filter((l) => l.startsWith('warning: gh '));

    const [gh] = (
      await runDoctor(layout, {
        env: { PATH: process.env.PATH, ANTHROPIC_API_KEY: 'sk-test' },
        which: noGh,
        home: tempDir('tickfleet-home-'),
        platform: 'linux',
      })
    ).filter((f) => f.check === 'gh');

    expect(setupWarns.length > 0).toBe(needed);
    expect(gh!.severity !== 'ok').toBe(needed);
    if (needed) {
      // The same reason in both.
      const why = backend === 'github' ? 'review.backend is github' : 'review.backend is auto with remote origin';
      expect(setupWarns[0]).toContain(why);
      expect(gh!.found).toContain(why);
    }
  });
});
