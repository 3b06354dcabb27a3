import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { configError } from './config-errors.js';
import type { ConfigError } from './config-errors.js';
import { ROOT_LEVEL, isLevelName } from './node-path.js';

/**
 * One level of the hierarchy, as data (seeded by migration): which levels a node of this level may
 * hang under, and whether a node of this level is the root of a tenant's subtree (its tenant id is
 * then inherited by every descendant).
 */
export interface LevelDefinition {
  readonly name: string;
  readonly parents: readonly string[];
  readonly ownsTenant: boolean;
  readonly description: string;
}

/** The validated set of levels: exactly one root (`GLOBAL`), every level reaches it, no cycles, no tenant inside a tenant. */
export class ConfigLevels {
  private readonly byName: ReadonlyMap<string, LevelDefinition>;

  private constructor(private readonly definitions: readonly LevelDefinition[]) {
    this.byName = new Map(definitions.map((d) => [d.name, d]));
  }

  static define(definitions: readonly LevelDefinition[]): Result<ConfigLevels, ConfigError> {
    const invalid = (message: string): Result<ConfigLevels, ConfigError> =>
      err(configError('CONFIG.INVALID_INPUT', `level definitions: ${message}`, { field: 'levels' }));
    const names = new Set<string>();
    for (const d of definitions) {
      if (names.has(d.name)) return invalid(`level ${d.name} is defined twice`);
      names.add(d.name);
      if (d.name === ROOT_LEVEL) {
        if (d.parents.length > 0) return invalid(`${ROOT_LEVEL} is the root and has no parent levels`);
        if (d.ownsTenant) return invalid(`${ROOT_LEVEL} cannot own a tenant`);
      } else {
        if (!isLevelName(d.name)) return invalid(`level name ${JSON.stringify(d.name)} must be lower-case a-z, 0-9 and '-'`);
        if (d.parents.length === 0) return invalid(`level ${d.name} has no parent level`);
      }
    }
    if (!names.has(ROOT_LEVEL)) return invalid(`the root level ${ROOT_LEVEL} is missing`);
    for (const d of definitions) {
      const unknown = d.parents.find((p) => !names.has(p));
      if (unknown !== undefined) return invalid(`level ${d.name} names unknown parent level ${unknown}`);
    }
    const levels = new ConfigLevels(definitions);
    for (const d of definitions) {
      const ancestors = levels.ancestorLevels(d.name);
      if (ancestors === null) return invalid(`level ${d.name} is part of a cycle`);
      if (d.ownsTenant) {
        const tenantAbove = [...ancestors].find((a) => levels.byName.get(a)?.ownsTenant === true);
        if (tenantAbove !== undefined) return invalid(`tenant level ${d.name} could sit below tenant level ${tenantAbove}`);
      }
    }
    return ok(levels);
  }

  get(name: string): LevelDefinition | undefined {
    return this.byName.get(name);
  }

  list(): readonly LevelDefinition[] {
    return this.definitions;
  }

  /** True when a node of `childLevel` may be created directly under a node of `parentLevel`. */
  allowsParent(childLevel: string, parentLevel: string): boolean {
    return this.byName.get(childLevel)?.parents.includes(parentLevel) ?? false;
  }

  /** Every level that can appear above `name`, or null when the parent graph loops. */
  private ancestorLevels(name: string): Set<string> | null {
    const seen = new Set<string>();
    const visit = (level: string, trail: ReadonlySet<string>): boolean => {
      for (const parent of this.byName.get(level)?.parents ?? []) {
        if (trail.has(parent)) return false;
        seen.add(parent);
        if (!visit(parent, new Set([...trail, parent]))) return false;
      }
      return true;
    };
    return visit(name, new Set([name])) ? seen : null;
  }
}
