import { diffOpenApi } from './openapi-diff.js';
import type { OpenApiChange } from './openapi-diff.js';

// The top of the document in the order the specification lists it; everything else alphabetically.
const TOP_LEVEL_ORDER = ['openapi', 'info', 'jsonSchemaDialect', 'servers', 'paths', 'webhooks', 'components', 'security', 'tags', 'externalDocs'];

function sortKeys(value: unknown, topLevel: boolean): unknown {
  if (Array.isArray(value)) return value.map((item) => sortKeys(item, false));
  if (typeof value !== 'object' || value === null) return value;
  const rank = (key: string) => {
    const index = topLevel ? TOP_LEVEL_ORDER.indexOf(key) : -1;
    return index === -1 ? TOP_LEVEL_ORDER.length : index;
  };
  const keys = Object.keys(value).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const sorted: Record<string, unknown> = {};
  for (const key of keys) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) sorted[key] = sortKeys(item, false);
  }
  return sorted;
}

/**
 * The committed form of an OpenAPI document: keys in a stable order (the top level in
 * specification order, everything below alphabetically; arrays keep their order), 2-space
 * indentation, trailing newline. Same document → same bytes, whatever the route registration order.
 */
export function serializeOpenApiDocument(document: unknown): string {
  return `${JSON.stringify(sortKeys(document, true), null, 2)}\n`;
}

/** The major part of `info.version` (`2.1.0` → 2, `v3` → 3); undefined when it has none. */
export function majorVersionOf(document: unknown): number | undefined {
  const info = (document as { info?: { version?: unknown } } | null)?.info;
  const match = typeof info?.version === 'string' ? /^v?(\d+)/.exec(info.version.trim()) : null;
  return match?.[1] !== undefined ? Number(match[1]) : undefined;
}

export type OpenApiFileStatus =
  /** The committed file is exactly what the code produces. */
  | { readonly status: 'up-to-date' }
  /** No committed file yet. */
  | { readonly status: 'missing' }
  /** The file differs without breaking anything, or breaks with a major version bump: regenerate it. */
  | { readonly status: 'stale'; readonly changes: readonly OpenApiChange[]; readonly majorBumped: boolean }
  /** Breaking changes without a major version bump. */
  | {
      readonly status: 'breaking';
      readonly breaking: readonly OpenApiChange[];
      readonly committedVersion: string;
      readonly generatedVersion: string;
    };

const versionText = (document: unknown): string => {
  const version = (document as { info?: { version?: unknown } } | null)?.info?.version;
  return typeof version === 'string' ? version : '(none)';
};

/**
 * How the document the code produces relates to a committed one: breaking changes are allowed
 * only when the major part of `info.version` grew.
 */
export function compareWithCommitted(committedText: string | undefined, generated: unknown): OpenApiFileStatus {
  if (committedText === undefined) return { status: 'missing' };
  if (committedText === serializeOpenApiDocument(generated)) return { status: 'up-to-date' };
  let committed: unknown;
  try {
    committed = JSON.parse(committedText);
  } catch {
    return { status: 'stale', changes: [], majorBumped: false };
  }
  const changes = diffOpenApi(committed, generated);
  const breaking = changes.filter((change) => change.breaking);
  const before = majorVersionOf(committed);
  const after = majorVersionOf(generated);
  const majorBumped = before !== undefined && after !== undefined && after > before;
  if (breaking.length > 0 && !majorBumped) {
    return { status: 'breaking', breaking, committedVersion: versionText(committed), generatedVersion: versionText(generated) };
  }
  return { status: 'stale', changes, majorBumped };
}
