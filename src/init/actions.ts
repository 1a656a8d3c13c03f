/** What `tickfleet init` did to each thing it looked at. */
export type InitAction =
  /** Did not exist; written now. */
  | 'created'
  /** Our earlier copy, unedited, refreshed to the current text. */
  | 'updated'
  /** Already as it should be. */
  | 'unchanged'
  /** Exists and differs from ours (edited by someone): left alone. */
  | 'kept'
  /** Lines added to a file that lacked them. */
  | 'appended'
  /** Not done, by choice (flag or answer). */
  | 'skipped'
  /** Not done by us; the user may want to do it (see `detail`). */
  | 'suggested';

export type InitItemKind = 'folder' | 'config' | 'command' | 'gitignore' | 'claude-md';

export interface InitItem {
  /** Relative to the project root, '/'-separated. */
  path: string;
  kind: InitItemKind;
  action: InitAction;
  detail?: string;
}
