import { SecretPathRejectedError } from './secret-store.port.js';

// A segment starts with a letter or digit, so `.`, `..` and hidden names are impossible by construction.
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MAX_PATH_LENGTH = 512;

/** Why `path` is not a plain relative secret path, or `null` when it is one. */
export function secretPathProblem(path: string): string | null {
  if (typeof path !== 'string') return 'it is not a string';
  if (path.length === 0) return 'it is empty';
  if (path.length > MAX_PATH_LENGTH) return `it is longer than ${MAX_PATH_LENGTH} characters`;
  if (path.startsWith('/')) return 'it starts with "/" (paths are relative to the base path)';
  if (path.endsWith('/')) return 'it ends with "/"';
  for (const segment of path.split('/')) {
    if (segment.length === 0) return 'it has an empty segment ("//")';
    if (segment === '.' || segment === '..') return `it has a "${segment}" segment`;
    if (!SEGMENT.test(segment)) {
      return `segment ${JSON.stringify(segment)} must start with a letter or digit and use only A-Z, a-z, 0-9, ".", "_" and "-"`;
    }
  }
  return null;
}

/** Returns `path` when it is a plain relative secret path; throws {@link SecretPathRejectedError} otherwise. */
export function checkSecretPath(path: string): string {
  const problem = secretPathProblem(path);
  if (problem !== null) throw new SecretPathRejectedError(path, problem);
  return path;
}

/** Validates a base path (or mount) given at construction; a bad one is a configuration error. */
export function checkBasePath(basePath: string, what = 'basePath'): string {
  const problem = secretPathProblem(basePath);
  if (problem !== null) throw new Error(`${what} ${JSON.stringify(basePath)} is invalid: ${problem}`);
  return basePath;
}
