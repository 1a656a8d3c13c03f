// `tickfleet status`: the fleet at a glance, once or live.
export * from './types.js';
export { fleetStatus, type StatusOptions } from './collect.js';
export { formatStatus, plainStyle, type Style } from './format.js';
export { watchStatus, type RedrawReason, type StatusWatchOptions } from './watch.js';
export { attentionItems, type AttentionInput } from './attention.js';
export { lastTickAt, TICK_SILENCE_MS, type LastTick } from './lastTick.js';
export { ago } from './ago.js';
