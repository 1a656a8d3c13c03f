import type { Config } from '../../config/agentsConfig.js';
import { ROLE_SPECS } from '../../roles/registry.js';
import type { Finding } from '../finding.js';

/**
 * The client refuses bypassPermissions as root unless IS_SANDBOX=1 says the
 * machine is disposable; tickfleet sets it for exactly those runs (see
 * claude/env.ts), so the person should know that is what happens.
 */
export function checkRoot(config: Config, isRoot: boolean): Finding | undefined {
  if (!isRoot) return undefined;
  const bypass = config.agents.filter((a) => {
    const mode = a.claude.permission_mode ?? ROLE_SPECS[a.role].permissionMode;
    const args = a.claude.extra_args;
    const i = args.indexOf('--permission-mode');
    return (
      mode === 'bypassPermissions' ||
      args.includes('--dangerously-skip-permissions') ||
      (i >= 0 && args[i + 1] === 'bypassPermissions')
    );
  });
  if (bypass.length === 0)
    return { check: 'root', severity: 'ok', found: 'running as root; no agent uses bypassPermissions' };
  return {
    check: 'root',
    severity: 'warn',
    found: `running as root, and ${bypass.map((a) => a.name).join(', ')} use${bypass.length === 1 ? 's' : ''} bypassPermissions: the client refuses that as root, so tickfleet sets IS_SANDBOX=1 for their runs, telling it this machine is a disposable sandbox`,
    fix: 'run the fleet as an ordinary user, or only in a container or VM you can throw away',
  };
}
