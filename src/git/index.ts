// Git operations for task worktrees: one operation per file.
export * from './run.js';
export * from './base.js';
export * from './paths.js';
export * from './worktreeList.js';
export * from './worktree.js';
export * from './remove.js';
export * from './prune.js';
export * from './workState.js';
export * from './preserve.js';
export * from './branch.js';
export * from './wip.js';
export * from './rebase.js';
export * from './push.js';
export * from './orphans.js';
export * from './diskUsage.js';
export * from './merge.js';
export * from './spare.js';
