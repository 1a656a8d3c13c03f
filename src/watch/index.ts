// `tickfleet watch`, and the file watching `status --watch` shares.
export { watchFleet, type TickReason, type WatchOptions, type WatchTickEvent } from './loop.js';
export { watchFiles, type FsTrigger, type FsTriggerOptions, type WatchTarget } from './fsTrigger.js';
export { untilAborted } from './abort.js';
export { SerialJob } from './serial.js';
export { repeat, type RepeatOptions } from './repeat.js';
export { tickSummary } from './summary.js';
export { systemTimers, type Timers } from './timers.js';
