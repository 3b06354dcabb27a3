/**
 * The anchors GitHub gives a Markdown document's headings (lower case, tags and punctuation dropped, white space to
 * hyphens, repeats numbered `-1`, `-2` …), plus explicit `<a id="…">` / `<a name="…">` anchors. Fenced code is skipped.
 * For tests that check a link such as an alert's `runbook_url` points at a section that exists.
 */
export function markdownHeadingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const base = (heading[1] ?? '')
        .toLowerCase()
        .replace(/<[^>]+>/g, '')
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-');
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      anchors.add(count === 0 ? base : `${base}-${count}`);
    }
    for (const explicit of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(explicit[1] ?? '');
  }
  return anchors;
}
