// The metric names a PromQL expression reads. Not a full PromQL parser: it removes what cannot be a
// metric name (strings, label matchers, range and offset brackets, grouping label lists, Grafana
// variables, numbers, keywords and function names) and returns what is left.

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);

export function metricNamesIn(expr: string): string[] {
  let rest = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\{?\w+\}?/g, ' ');
  // Function calls and aggregations: an identifier followed by "(".
  rest = rest.replace(/\b[A-Za-z_][A-Za-z0-9_]*\s*\(/g, ' (');
  const names = new Set<string>();
  for (const match of rest.matchAll(/(?<![\w.])[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const word = match[0];
    if (KEYWORDS.has(word.toLowerCase())) continue;
    names.add(word);
  }
  return [...names];
}
