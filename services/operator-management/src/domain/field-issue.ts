/** One thing wrong with one input field; `field` is a path such as `connections[1].port`. */
export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

export const issue = (field: string, message: string): FieldIssue => ({ field, message });

/** Prefixes every issue's field with `prefix` (`connections[0]` + `port` → `connections[0].port`). */
export const nestIssues = (prefix: string, issues: readonly FieldIssue[]): FieldIssue[] =>
  issues.map((i) => issue(`${prefix}.${i.field}`, i.message));
