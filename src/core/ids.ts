import { customAlphabet } from 'nanoid';

// Ids are 8 lowercase hex digits: TASK-a1b2c3d4, PROP-a1b2c3d4.
const hex8 = customAlphabet('0123456789abcdef', 8);

export function newTaskId(): string {
  return `TASK-${hex8()}`;
}

export function newProposalId(): string {
  return `PROP-${hex8()}`;
}

/** Ids name files: only letters, digits, '-' and '_' so no id can escape its folder. */
export const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
