import type { GatekeeperConfig } from '../config/agentsConfig.js';

/** One configured check: its name, whether it blocks, and how it runs. */
export interface ConfiguredCheck {
  check: string;
  required: boolean;
  /** Run by tickfleet as a command; absent: a gatekeeper agent with this focus runs it. */
  command?: string;
}

/** Required checks first, then the optional ones not also required (a check in both counts as required). */
export function configuredChecks(gk: GatekeeperConfig): ConfiguredCheck[] {
  const checks = [...new Set(gk.required_checks)].map((check) => ({ check, required: true }));
  for (const check of new Set(gk.optional_checks))
    if (!gk.required_checks.includes(check)) checks.push({ check, required: false });
  return checks.map((c) => (gk.commands[c.check] ? { ...c, command: gk.commands[c.check] } : c));
}
