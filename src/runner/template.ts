import { ExitError } from '../core/errors.js';

/**
 * `{{name}}` substitution, nothing more: templates are meant to be edited by
 * people who should not need to learn a template language. A placeholder with
 * no value is an error naming the template, so a typo never reaches a model.
 */
export function renderTemplate(template: string, values: Record<string, string>, name: string): string {
  return template.replace(/\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/gi, (_match, key: string) => {
    const value = values[key];
    if (value === undefined) {
      throw new ExitError(`${name}: unknown placeholder {{${key}}} (known: ${Object.keys(values).sort().join(', ')})`);
    }
    return value;
  });
}
