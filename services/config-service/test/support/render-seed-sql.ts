// Prints the seed data of `configSeed` (src/domain/config-seed.ts) as plain SQL INSERT statements,
// for pasting into a NEW migration when the seed changes (an applied migration is never edited).
// Run: npx tsx services/config-service/test/support/render-seed-sql.ts
// The integration test `test/integration/seed.test.ts` compares the migrated database with `configSeed`.
import { configSeed } from '../../src/domain/config-seed.js';
import { createRootNode } from '../../src/domain/config-node.js';
import { defineKey } from '../../src/domain/key-definition.js';

const literal = (value: string): string => `'${value.replaceAll("'", "''")}'`;
const json = (value: unknown): string => `${literal(JSON.stringify(value))}::jsonb`;
const textArray = (values: readonly string[]): string => (values.length === 0 ? `'{}'::text[]` : `ARRAY[${values.map(literal).join(', ')}]::text[]`);
const at = configSeed.globalNode.createdAt;

const lines: string[] = [];
lines.push('INSERT INTO {{schema}}.levels (name, parents, owns_tenant, description, position) VALUES');
lines.push(
  configSeed.levels
    .map((l, i) => `  (${literal(l.name)}, ${textArray(l.parents)}, ${String(l.ownsTenant)}, ${literal(l.description)}, ${i + 1})`)
    .join(',\n') + ';',
);
lines.push('');

const root = createRootNode(configSeed.globalNode.id, { author: configSeed.globalNode.author, reason: configSeed.globalNode.reason, now: new Date(at) });
lines.push(
  'INSERT INTO {{schema}}.config_nodes (id, level, name, parent_id, path, tenant_id, is_tenant_root, overrides, locks, version, created_at, updated_at) VALUES',
);
lines.push(
  `  (${literal(root.node.id)}, ${literal(root.node.level)}, ${literal(root.node.name)}, NULL, ${literal(root.node.path)}, NULL, false, '{}'::jsonb, '{}'::text[], 1, ${literal(at)}, ${literal(at)});`,
);
lines.push('INSERT INTO {{schema}}.node_versions (node_id, version, tenant_id, change, author, reason, at, diff, state, rolled_back_to) VALUES');
const v = root.version;
lines.push(
  `  (${literal(v.nodeId)}, ${v.version}, NULL, ${literal(v.change)}, ${literal(v.author)}, ${literal(v.reason)}, ${literal(v.at)}, ${json(v.diff)}, ${json(v.state)}, NULL);`,
);
lines.push('');

lines.push('INSERT INTO {{schema}}.role_definitions (name, description, system, tenant_assignable, grants, version, updated_at) VALUES');
lines.push(
  configSeed.systemRoles
    .map(
      (r) =>
        `  (${literal(r.name)}, ${literal(r.description)}, ${String(r.system)}, ${String(r.tenantAssignable)}, ${json(r.grants)}, ${r.version}, ${literal(r.updatedAt)})`,
    )
    .join(',\n') + ';',
);
lines.push('');

lines.push(
  'INSERT INTO {{schema}}.key_definitions (key, schema, description, sensitive, owner_service, deprecated, version, defined_at, updated_at) VALUES',
);
lines.push(
  configSeed.keys
    .map((draft) => {
      const k = defineKey(draft, new Date(at));
      if (!k.ok) throw new Error(k.error.message);
      const d = k.value;
      const owner = d.ownerService === null ? 'NULL' : literal(d.ownerService);
      return `  (${literal(d.key)}, ${json(d.schema)}, ${literal(d.description)}, ${String(d.sensitive)}, ${owner}, ${String(d.deprecated)}, ${d.version}, ${literal(d.definedAt)}, ${literal(d.updatedAt)})`;
    })
    .join(',\n') + ';',
);

process.stdout.write(`${lines.join('\n')}\n`);
