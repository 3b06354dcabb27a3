import { issue, type FieldIssue } from './field-issue.js';

/**
 * An E.164 digit prefix: digits only, no `+`, no leading zero (E.164 numbers start with a
 * country code), at most 15 digits (the longest E.164 number). `9370` covers +93 70x xxx xxx.
 */
const PREFIX = /^[1-9][0-9]{0,14}$/;

export const MAX_PREFIXES = 1000;

export const isNumberPrefix = (value: string): boolean => PREFIX.test(value);

/** True when one prefix is the other or starts it: both would match some number. */
export const prefixesOverlap = (a: string, b: string): boolean => a.startsWith(b) || b.startsWith(a);

/** Issues with a list of prefixes: each must be an E.164 digit prefix, none repeated. */
export function prefixListIssues(prefixes: readonly string[], field: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (prefixes.length > MAX_PREFIXES) issues.push(issue(field, `at most ${MAX_PREFIXES} prefixes`));
  const seen = new Set<string>();
  prefixes.forEach((prefix, index) => {
    if (!isNumberPrefix(prefix)) {
      issues.push(issue(`${field}[${index}]`, 'must be 1 to 15 digits, not starting with 0 (an E.164 prefix without "+")'));
    } else if (seen.has(prefix)) {
      issues.push(issue(`${field}[${index}]`, `repeats prefix ${prefix}`));
    }
    seen.add(prefix);
  });
  return issues;
}

/** Sorted copy, so two lists with the same prefixes compare equal. */
export const sortPrefixes = (prefixes: readonly string[]): string[] => [...prefixes].sort();
