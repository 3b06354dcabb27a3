import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { configError } from './config-errors.js';
import type { ConfigError } from './config-errors.js';

/**
 * Materialised node paths: `/GLOBAL` for the root, then one `level:name` segment per level,
 * e.g. `/GLOBAL/region:kabul/tenant:acme`. Only the canonical form is accepted: a path that would
 * need normalising (`..`, `.`, `//`, `%2F`, `\`, upper case, trailing slash, spaces) is refused,
 * so two different strings can never name the same node and no string can escape its prefix.
 */
export const ROOT_LEVEL = 'GLOBAL';
export const ROOT_PATH = `/${ROOT_LEVEL}`;

const LEVEL_NAME = /^[a-z][a-z0-9-]{0,31}$/;
const SEGMENT_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const MAX_PATH_LENGTH = 1024;

export const isLevelName = (value: string): boolean => LEVEL_NAME.test(value);
export const isSegmentName = (value: string): boolean => SEGMENT_NAME.test(value);

export interface PathSegment {
  readonly level: string;
  readonly name: string;
}

const invalid = (input: string, reason: string): ConfigError =>
  configError('CONFIG.INVALID_PATH', `node path ${JSON.stringify(input.slice(0, 200))} is invalid: ${reason}`, {
    reason,
  });

/** Parses a canonical path into its non-root segments. */
export function parseNodePath(input: unknown): Result<{ path: string; segments: readonly PathSegment[] }, ConfigError> {
  if (typeof input !== 'string') return err(invalid(String(input), 'a path must be a string'));
  if (input.length > MAX_PATH_LENGTH) return err(invalid(input, `longer than ${MAX_PATH_LENGTH} characters`));
  if (input !== ROOT_PATH && !input.startsWith(`${ROOT_PATH}/`)) return err(invalid(input, `must start with ${ROOT_PATH}`));
  const parts = input.split('/').slice(2);
  const segments: PathSegment[] = [];
  for (const part of parts) {
    if (part === '') return err(invalid(input, 'empty segment or trailing slash'));
    if (part === '.' || part === '..') return err(invalid(input, 'relative segments are not allowed'));
    const colon = part.indexOf(':');
    if (colon < 0) return err(invalid(input, `segment ${JSON.stringify(part)} is not level:name`));
    const level = part.slice(0, colon);
    const name = part.slice(colon + 1);
    if (!isLevelName(level)) return err(invalid(input, `level ${JSON.stringify(level)} is not a lower-case level name`));
    if (!isSegmentName(name)) {
      return err(invalid(input, `name ${JSON.stringify(name)} may hold only a-z, 0-9, '-' and '_'`));
    }
    segments.push({ level, name });
  }
  return ok({ path: input, segments });
}

export const segmentOf = (level: string, name: string): string => `${level}:${name}`;

export function childPath(parentPath: string, level: string, name: string): string {
  return `${parentPath}/${segmentOf(level, name)}`;
}

/** The paths of every ancestor and the node itself, root first. Assumes a canonical path. */
export function ancestorPaths(path: string): string[] {
  const parts = path.split('/').slice(1);
  return parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}`);
}

/** True when `path` is `ancestor` itself or lies below it (segment-wise, never by string prefix alone). */
export function isSameOrDescendant(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}/`);
}

/** Moves `path` from under `fromPrefix` to under `toPrefix`. */
export function rebasePath(path: string, fromPrefix: string, toPrefix: string): string {
  if (!isSameOrDescendant(path, fromPrefix)) throw new Error(`${path} is not under ${fromPrefix}`);
  return `${toPrefix}${path.slice(fromPrefix.length)}`;
}

export const depthOf = (path: string): number => path.split('/').length - 2;
