export * from './types.js';
export { byPrompt, hang, httpError, rateLimited, script, slowStream, structuredOutput, text, toolUse, turn, type ReplyOptions } from './dsl.js';
export { startScriptedApi, scriptedApiEnv, type ScriptedApi, type ScriptedApiOptions } from './server.js';
export { implementerScenario, findTask, type ImplementerOptions, type TaskRef } from './implementer.js';
export { findCwd } from './request.js';
export { DEFAULT_USAGE } from './sse.js';
