// agents.yaml: the key table, validation, loading, comment-preserving edits, the JSON Schema.
export * from './agentsConfig.js';
export { CONFIG_SPEC } from './keys/table.js';
export { CHECK_NAMES, PROPOSER_FOCUSES, DEFAULT_TASK_ROLES, AGENT_NAME_PATTERN } from './vocabulary.js';
export { DEFAULT_INTERVAL_SECONDS } from './keys/agentKeys.js';
export { validateConfig, formatProblem, type ValidationResult, type ValidateOptions } from './validate/validate.js';
export { loadConfig, checkConfigFile, configLabel, type LoadedConfig } from './load.js';
export { addAgent, removeAgent, setAgentPaused, setAgentInterval, setQueueLimits, setFleetPaused, type NewAgent } from './edit/edit.js';
export type { EditResult } from './edit/editFile.js';
export { configJsonSchema, renderJsonSchema } from './keys/jsonSchema.js';
export { keyRows, renderKeyTable, renderKeyReferenceDoc, KEY_REFERENCE_START, KEY_REFERENCE_END } from './keys/keyReference.js';
export { summariseConfig, duration, type ConfigSummary } from './summary.js';
