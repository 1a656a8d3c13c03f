// agents.yaml: the key table, validation, loading, comment-preserving edits, the JSON Schema.
export * from './types.js';
export { CONFIG_SPEC } from './keys.js';
export { CHECK_NAMES, PROPOSER_FOCUSES, DEFAULT_TASK_ROLES, AGENT_NAME_PATTERN } from './vocabulary.js';
export { DEFAULT_INTERVAL_SECONDS } from './keysAgent.js';
export { validateConfig, formatProblem, type ValidationResult, type ValidateOptions } from './validate.js';
export { loadConfig, checkConfigFile, configLabel, type LoadedConfig } from './load.js';
export { addAgent, removeAgent, setAgentPaused, setAgentInterval, setQueueLimits, setFleetPaused, type NewAgent } from './edit.js';
export type { EditResult } from './editFile.js';
export { configJsonSchema, renderJsonSchema } from './jsonSchema.js';
export { keyRows, renderKeyTable, renderKeyReferenceDoc, KEY_REFERENCE_START, KEY_REFERENCE_END } from './keyReference.js';
export { summariseConfig, duration, type ConfigSummary } from './summary.js';
