// NATS subject rules shared by both adapters: tokens separated by `.`, `*` matches one token, `>` matches one or
// more trailing tokens.

/** Thrown for a subject or pattern that NATS would refuse (empty token, whitespace, misplaced `>`). */
export class InvalidSubjectError extends Error {
  override readonly name = 'InvalidSubjectError';
}

export function assertValidSubject(subject: string, { wildcards }: { wildcards: boolean }): void {
  const tokens = subject.split('.');
  tokens.forEach((token, index) => {
    const invalid =
      token === '' ||
      /\s/.test(token) ||
      (!wildcards && (token.includes('*') || token.includes('>'))) ||
      (token.includes('*') && token !== '*') ||
      (token.includes('>') && (token !== '>' || index !== tokens.length - 1));
    if (invalid) throw new InvalidSubjectError(`invalid subject "${subject}"`);
  });
}

/** Whether the concrete `subject` is matched by `pattern`. */
export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    const token = p[i];
    if (token === '>') return s.length > i;
    if (i >= s.length) return false;
    if (token !== '*' && token !== s[i]) return false;
  }
  return p.length === s.length;
}

/** Whether every subject matched by `inner` is also matched by `outer` (e.g. a stream's subjects covering a filter). */
export function subjectCovers(outer: string, inner: string): boolean {
  const o = outer.split('.');
  const n = inner.split('.');
  for (let i = 0; i < o.length; i++) {
    const token = o[i];
    if (token === '>') return n.length > i;
    const other = n[i];
    if (other === undefined || other === '>') return false;
    if (token === '*') continue;
    if (other === '*' || other !== token) return false;
  }
  return o.length === n.length;
}
