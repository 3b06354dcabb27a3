import { readFile, readdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';

/** The repository's root folder. */
export const ROOT = resolve(import.meta.dirname, '../../../..');

export const fromRoot = (...parts: string[]): string => join(ROOT, ...parts);

export async function readText(path: string): Promise<string> {
  return readFile(path, 'utf8');
}

/** Parses one YAML document (throws on a syntax error or on several documents). */
export async function readYaml(path: string): Promise<unknown> {
  return parseYaml(await readText(path)) as unknown;
}

/** Parses every document of a YAML stream; each parse error is reported with the file. */
export async function readYamlDocuments(path: string): Promise<unknown[]> {
  const documents = parseAllDocuments(await readText(path));
  const list = Array.isArray(documents) ? documents : [documents];
  for (const document of list) {
    if (document.errors.length > 0) throw new Error(`${relative(ROOT, path)}: ${document.errors.map((e) => e.message).join('; ')}`);
  }
  return list.map((document) => document.toJS() as unknown);
}

export async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readText(path)) as unknown;
}

/** Every file under `dir` (recursively), as absolute paths, sorted. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** The service folders under services/. */
export async function serviceFolders(): Promise<string[]> {
  const entries = await readdir(fromRoot('services'), { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
