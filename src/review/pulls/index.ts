// Following tickfleet's PRs on GitHub: one poll per tick, acting on each PR's events once, publishing check verdicts.
export * from './types.js';
export * from './branches.js';
export * from './poll.js';
export * from './events.js';
export * from './memory.js';
export * from './follow.js';
export * from './publish.js';
export { LOG_TAIL_LINES } from './details.js';
