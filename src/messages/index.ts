export * from './types.js';
export { formatMessage, messageFileName, slugify } from './format.js';
export { parseMessage } from './parse.js';
export { sendMessage, sendInfo, sendWarning, sendError, sendQuestion, type MessageDeps } from './send.js';
export { listMessages, type ListOptions } from './list.js';
export { clearMessages, type ClearOptions } from './clear.js';
