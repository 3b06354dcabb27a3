/**
 * The registered routes as (method, path pattern) pairs, to tell "no such path" (404) from "no such
 * method on this path" (405). Fastify answers 404 for both; its router has no lookup by raw URL
 * across methods, so the patterns are matched here.
 */
export class RouteTable {
  private readonly routes: { method: string; matcher: RegExp }[] = [];

  add(methods: string | readonly string[], url: string): void {
    const matcher = patternToRegExp(url);
    for (const method of typeof methods === 'string' ? [methods] : methods) {
      this.routes.push({ method: method.toUpperCase(), matcher });
    }
  }

  /** The methods registered for `path` (no query string), sorted; empty when the path is unknown. */
  allowedMethods(path: string): string[] {
    const methods = new Set(this.routes.filter((route) => route.matcher.test(path)).map((route) => route.method));
    return [...methods].sort();
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Fastify patterns: `:name`, `:name(regex)`, `*`, and `::` for a literal colon.
function patternToRegExp(url: string): RegExp {
  let source = '';
  for (let i = 0; i < url.length; i++) {
    const char = url[i];
    if (char === ':' && url[i + 1] === ':') {
      source += ':';
      i++;
    } else if (char === ':') {
      let j = i + 1;
      while (j < url.length && /[\w$]/.test(url[j] ?? '')) j++;
      if (url[j] === '(') {
        let depth = 0;
        let k = j;
        for (; k < url.length; k++) {
          if (url[k] === '(') depth++;
          if (url[k] === ')' && --depth === 0) break;
        }
        source += `(?:${url.slice(j + 1, k).replace(/^\^/, '').replace(/\$$/, '')})`;
        i = k;
      } else {
        source += '[^/]+';
        i = j - 1;
      }
    } else if (char === '*') {
      source += '.*';
    } else {
      source += escape(char ?? '');
    }
  }
  return new RegExp(`^${source}$`);
}
