/** One bad environment variable: its name and a sentence saying what was expected and what was found. */
export interface ConfigIssue {
  readonly variable: string;
  /** e.g. `expected a postgres:// or postgresql:// URL, got "mysql://x"`. */
  readonly problem: string;
}

/**
 * Thrown by `loadConfig` when the environment does not satisfy the service's schema. Its message
 * names every bad variable at once (one per line), so an operator fixes them in one go.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    const lines = issues.map((issue) => `  ${issue.variable}: ${issue.problem}`);
    super([`invalid configuration (${count}):`, ...lines].join('\n'));
    this.issues = issues;
  }
}
