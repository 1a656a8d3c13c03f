// Review back ends (github, local) and the serialized merge queue.
export * from './types.js';
export * from './gh.js';
export * from './github.js';
export * from './record.js';
export * from './reviewStore.js';
export * from './local.js';
export * from './testCommand.js';
export * from './advanceBase.js';
export * from './mergeQueue.js';
export * from './select.js';
export * from './pulls/index.js';
