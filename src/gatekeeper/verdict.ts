/**
 * One check's verdict on one commit. Verdicts are keyed by the branch's head
 * commit: a new commit needs new verdicts, and a verdict for an older head is
 * never applied to a newer one.
 */
export interface CheckFinding {
  file: string;
  line?: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

export interface CheckVerdict {
  /** The check's name (`lint`, `tests`, `security`, ...). */
  check: string;
  /** The branch checked. */
  branch: string;
  /** The commit the verdict is about. */
  head: string;
  /** pass or fail; `error` when the check could not run (command missing, client failing, malformed verdict): never a pass. */
  verdict: 'pass' | 'fail' | 'error';
  required: boolean;
  /** One line for people. */
  summary: string;
  findings: CheckFinding[];
  /** The tail of a command's output, or of the model's answer. */
  output_tail?: string;
  /** How it was checked: a command, or a gatekeeper agent. */
  by: { command: string } | { agent: string };
  at: string;
}
