// What can be checked of the Helm chart without `helm` (not installable here): values files merged
// the way Helm merges them, `.Values` references of the templates, and the template actions' nesting.
import { isRecord } from './repo.js';

/** Helm's merge of a values file over the chart's defaults: maps merge, a null removes the key, everything else replaces. */
export function mergeValues(base: unknown, override: unknown): unknown {
  if (!isRecord(base) || !isRecord(override)) return override === undefined ? base : override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === null) delete merged[key];
    else merged[key] = mergeValues(base[key], value);
  }
  return merged;
}

/** The value at a dotted path, or `undefined` when a segment is missing. */
export function valueAt(values: unknown, path: readonly string[]): unknown {
  let current: unknown = values;
  for (const segment of path) {
    if (!isRecord(current) || !(segment in current)) return undefined;
    current = current[segment];
  }
  return current;
}

/** The `.Values.a.b` paths a template reads (not those read through variables or `range` items). */
export function valuesReferences(template: string): string[][] {
  const paths = new Map<string, string[]>();
  for (const match of template.matchAll(/(?<![\w$])\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)) {
    const path = (match[1] ?? '').split('.').filter((s) => s !== '');
    paths.set(path.join('.'), path);
  }
  return [...paths.values()];
}

export interface TemplateAction {
  readonly text: string;
  readonly line: number;
}

/** The template's actions (`{{ … }}`), string literals inside them skipped; throws on an unclosed one. */
export function templateActions(template: string): TemplateAction[] {
  const actions: TemplateAction[] = [];
  let index = 0;
  while (true) {
    const start = template.indexOf('{{', index);
    if (start < 0) break;
    let position = start + 2;
    let quote: string | null = null;
    while (position < template.length) {
      const char = template[position];
      if (quote !== null) {
        if (char === '\\' && quote === '"') position += 1;
        else if (char === quote) quote = null;
      } else if (char === '"' || char === '`') {
        quote = char;
      } else if (template.startsWith('}}', position)) {
        break;
      }
      position += 1;
    }
    if (position >= template.length) throw new Error(`unclosed action at line ${lineOf(template, start)}`);
    actions.push({ text: template.slice(start + 2, position).replace(/^-\s*/, '').replace(/\s*-$/, '').trim(), line: lineOf(template, start) });
    index = position + 2;
  }
  return actions;
}

const lineOf = (text: string, offset: number): number => text.slice(0, offset).split('\n').length;

/** Problems with the nesting of if/range/with/define blocks and their `end`s. */
export function blockProblems(template: string): string[] {
  const problems: string[] = [];
  const open: TemplateAction[] = [];
  for (const action of templateActions(template)) {
    if (action.text.startsWith('/*')) continue;
    const keyword = /^(\w+)/.exec(action.text)?.[1];
    if (keyword === 'if' || keyword === 'range' || keyword === 'with' || keyword === 'define' || keyword === 'block') open.push(action);
    else if (keyword === 'end') {
      if (open.pop() === undefined) problems.push(`line ${action.line}: end without a block`);
    } else if (keyword === 'else' && open.length === 0) problems.push(`line ${action.line}: else outside a block`);
  }
  for (const action of open) problems.push(`line ${action.line}: "${action.text}" is never ended`);
  return problems;
}
