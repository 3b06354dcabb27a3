import { execFile } from 'node:child_process';

/** Where Debian's `prometheus` package installs promtool (`.ci/run` installs it when missing). */
export const PROMTOOL = '/usr/bin/promtool';

export interface PromtoolResult {
  /** promtool's exit status: 0 when the rules (or rule tests) pass. */
  readonly code: number;
  /** stdout and stderr together. */
  readonly output: string;
}

/** Runs `promtool <args>` (e.g. `check rules <file>`, `test rules <file>`) and never rejects: the caller asserts. */
export function promtool(...args: string[]): Promise<PromtoolResult> {
  return new Promise((resolve) => {
    execFile(PROMTOOL, args, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number((error as { code?: unknown }).code ?? 1), output: `${stdout}${stderr}` });
    });
  });
}
