// Public library surface: the CLI is a thin layer over these.

export * from './config/agentsConfig.js';
export * from './core/clock.js';
export * from './core/errors.js';
export * from './core/paths.js';
export * from './tasks/priority.js';
