/**
 * Compares two OpenAPI 3.1 documents (the committed one and the one the code produces now) and
 * lists what changed, marking the changes that break an existing client. The rules are listed in
 * the README ("OpenAPI breaking-change rules"); anything not covered there is not reported.
 */

export type OpenApiChangeRule =
  | 'path-removed'
  | 'operation-removed'
  | 'path-added'
  | 'operation-added'
  | 'required-parameter-added'
  | 'optional-parameter-added'
  | 'parameter-became-required'
  | 'parameter-removed'
  | 'request-body-became-required'
  | 'request-body-added'
  | 'request-media-type-removed'
  | 'required-request-property-added'
  | 'request-property-became-required'
  | 'request-property-added'
  | 'request-property-removed'
  | 'request-additional-properties-forbidden'
  | 'request-enum-value-removed'
  | 'request-enum-value-added'
  | 'request-type-narrowed'
  | 'request-type-widened'
  | 'request-constraint-narrowed'
  | 'request-alternative-removed'
  | 'response-removed'
  | 'response-added'
  | 'response-media-type-removed'
  | 'response-property-removed'
  | 'response-property-became-optional'
  | 'response-property-added'
  | 'response-type-changed'
  | 'response-enum-value-added'
  | 'response-alternative-added';

export interface OpenApiChange {
  readonly breaking: boolean;
  readonly rule: OpenApiChangeRule;
  /** Where: `POST /v1/sms/send request body (application/json) body.to`. */
  readonly location: string;
  readonly message: string;
}

type Schema = Record<string, unknown>;
type Direction = 'request' | 'response';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const MAX_REF_HOPS = 32;

const isObject = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const asObject = (value: unknown): Schema => (isObject(value) ? value : {});

const asArray = (value: unknown): readonly unknown[] => (Array.isArray(value) ? (value as unknown[]) : []);

/** `/v1/sms/{id}` and `/v1/sms/{messageId}` are the same path to a client. */
const pathKey = (path: string): string => path.replace(/\{[^}]*\}/g, '{}');

function resolvePointer(document: Schema, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = document;
  for (const raw of ref.slice(2).split('/')) {
    const segment = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node)) return undefined;
    node = node[segment];
  }
  return node;
}

/** Follows local `$ref`s; returns the target and the last ref followed (for cycle detection). */
function deref(document: Schema, value: unknown): { node: Schema | undefined; ref: string | undefined } {
  let node = value;
  let ref: string | undefined;
  for (let hops = 0; hops < MAX_REF_HOPS && isObject(node) && typeof node.$ref === 'string'; hops++) {
    ref = node.$ref;
    node = resolvePointer(document, node.$ref);
  }
  if (node === true) return { node: {}, ref };
  return { node: isObject(node) ? node : undefined, ref };
}

const jsonTypeOf = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
};

/** A schema with `allOf` merged and `anyOf: [X, {type: null}]` (nullable) folded into X. */
interface Normalised {
  readonly schema: Schema;
  readonly types: ReadonlySet<string> | undefined;
  readonly enumValues: readonly string[] | undefined;
  readonly alternatives: readonly unknown[] | undefined;
}

class Comparison {
  readonly changes: OpenApiChange[] = [];
  private readonly visiting = new Set<string>();

  constructor(
    private readonly before: Schema,
    private readonly after: Schema,
  ) {}

  add(breaking: boolean, rule: OpenApiChangeRule, location: string, message: string): void {
    this.changes.push({ breaking, rule, location, message });
  }

  run(): void {
    const oldPaths = this.pathIndex(this.before);
    const newPaths = this.pathIndex(this.after);

    for (const [key, { path, item: oldItem }] of oldPaths) {
      const found = newPaths.get(key);
      const oldOperations = METHODS.filter((method) => isObject(oldItem[method]));
      if (!found) {
        const methods = oldOperations.map((m) => m.toUpperCase()).join(', ');
        this.add(true, 'path-removed', path, `path removed${methods ? ` (with ${methods})` : ''}`);
        continue;
      }
      for (const method of oldOperations) {
        const operation = `${method.toUpperCase()} ${found.path}`;
        if (!isObject(found.item[method])) {
          this.add(true, 'operation-removed', operation, 'operation removed');
          continue;
        }
        this.compareOperation(
          operation,
          { before: path, after: found.path },
          oldItem,
          asObject(oldItem[method]),
          found.item,
          asObject(found.item[method]),
        );
      }
      for (const method of METHODS.filter((m) => isObject(found.item[m]) && !isObject(oldItem[m]))) {
        this.add(false, 'operation-added', `${method.toUpperCase()} ${found.path}`, 'operation added');
      }
    }
    for (const [key, { path }] of newPaths) {
      if (!oldPaths.has(key)) this.add(false, 'path-added', path, 'path added');
    }
  }

  private pathIndex(document: Schema): Map<string, { path: string; item: Schema }> {
    const index = new Map<string, { path: string; item: Schema }>();
    for (const [path, item] of Object.entries(asObject(document.paths))) {
      const resolved = deref(document, item).node;
      if (resolved) index.set(pathKey(path), { path, item: resolved });
    }
    return index;
  }

  /**
   * Parameters by what a client sends: `in` and name (header names ignore case), except path
   * parameters, keyed by their position in the template, so renaming `{id}` changes nothing.
   */
  private parameters(document: Schema, path: string, pathItem: Schema, operation: Schema): Map<string, Schema> {
    const positions = [...path.matchAll(/\{([^}]*)\}/g)].map((match) => match[1]);
    const byKey = new Map<string, Schema>();
    // Operation-level parameters come last so they override path-level ones of the same name.
    for (const raw of [...asArray(pathItem.parameters), ...asArray(operation.parameters)]) {
      const parameter = deref(document, raw).node;
      if (!parameter || typeof parameter.name !== 'string' || typeof parameter.in !== 'string') continue;
      const position = parameter.in === 'path' ? positions.indexOf(parameter.name) : -1;
      const name =
        position !== -1 ? `#${position}` : parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name;
      byKey.set(`${parameter.in}:${name}`, parameter);
    }
    return byKey;
  }

  private compareOperation(
    operation: string,
    paths: { before: string; after: string },
    oldItem: Schema,
    oldOp: Schema,
    newItem: Schema,
    newOp: Schema,
  ): void {
    const oldParams = this.parameters(this.before, paths.before, oldItem, oldOp);
    const newParams = this.parameters(this.after, paths.after, newItem, newOp);
    for (const [key, parameter] of newParams) {
      const label = `${String(parameter.in)} parameter ${JSON.stringify(parameter.name)}`;
      const required = parameter.required === true || parameter.in === 'path';
      const previous = oldParams.get(key);
      if (!previous) {
        if (required) this.add(true, 'required-parameter-added', `${operation} ${label}`, 'new required parameter');
        else this.add(false, 'optional-parameter-added', `${operation} ${label}`, 'new optional parameter');
        continue;
      }
      const wasRequired = previous.required === true || previous.in === 'path';
      if (required && !wasRequired) {
        this.add(true, 'parameter-became-required', `${operation} ${label}`, 'parameter is now required');
      }
      this.compareSchema(previous.schema, parameter.schema, 'request', `${operation} ${label}`);
    }
    for (const [key, parameter] of oldParams) {
      if (!newParams.has(key)) {
        this.add(false, 'parameter-removed', `${operation} ${String(parameter.in)} parameter ${JSON.stringify(parameter.name)}`, 'parameter no longer read');
      }
    }

    this.compareRequestBody(operation, oldOp.requestBody, newOp.requestBody);
    this.compareResponses(operation, asObject(oldOp.responses), asObject(newOp.responses));
  }

  private compareRequestBody(operation: string, oldRaw: unknown, newRaw: unknown): void {
    const oldBody = deref(this.before, oldRaw).node;
    const newBody = deref(this.after, newRaw).node;
    const location = `${operation} request body`;
    if (!newBody) return;
    if (!oldBody) {
      if (newBody.required === true) this.add(true, 'request-body-became-required', location, 'a request body is now required');
      else this.add(false, 'request-body-added', location, 'optional request body added');
      return;
    }
    if (newBody.required === true && oldBody.required !== true) {
      this.add(true, 'request-body-became-required', location, 'the request body is now required');
    }
    const oldContent = asObject(oldBody.content);
    const newContent = asObject(newBody.content);
    for (const [mediaType, media] of Object.entries(oldContent)) {
      if (!(mediaType in newContent)) {
        this.add(true, 'request-media-type-removed', `${location} (${mediaType})`, `${mediaType} no longer accepted`);
        continue;
      }
      this.compareSchema(asObject(media).schema, asObject(newContent[mediaType]).schema, 'request', `${location} (${mediaType})`, 'body');
    }
  }

  private compareResponses(operation: string, oldResponses: Schema, newResponses: Schema): void {
    for (const [status, oldRaw] of Object.entries(oldResponses)) {
      const location = `${operation} response ${status}`;
      if (!(status in newResponses)) {
        this.add(true, 'response-removed', location, 'response status removed');
        continue;
      }
      const oldContent = asObject(deref(this.before, oldRaw).node?.content);
      const newContent = asObject(deref(this.after, newResponses[status]).node?.content);
      for (const [mediaType, media] of Object.entries(oldContent)) {
        if (!(mediaType in newContent)) {
          this.add(true, 'response-media-type-removed', `${location} (${mediaType})`, `${mediaType} no longer returned`);
          continue;
        }
        this.compareSchema(asObject(media).schema, asObject(newContent[mediaType]).schema, 'response', `${location} (${mediaType})`, 'body');
      }
    }
    for (const status of Object.keys(newResponses)) {
      if (!(status in oldResponses)) this.add(false, 'response-added', `${operation} response ${status}`, 'response status added');
    }
  }

  private normalise(document: Schema, raw: unknown, depth = 0): Normalised | undefined {
    const { node } = deref(document, raw);
    if (!node) return undefined;
    let schema: Schema = node;

    if (Array.isArray(schema.allOf) && depth < MAX_REF_HOPS) {
      const merged: Schema = { ...schema, allOf: undefined };
      const properties: Schema = {};
      const required = new Set<string>();
      for (const part of [schema, ...asArray(schema.allOf)]) {
        const resolved = part === schema ? schema : this.normalise(document, part, depth + 1)?.schema;
        if (!resolved) continue;
        Object.assign(properties, asObject(resolved.properties));
        for (const name of Array.isArray(resolved.required) ? resolved.required : []) required.add(String(name));
        for (const [keyword, value] of Object.entries(resolved)) {
          if (merged[keyword] === undefined && keyword !== 'allOf') merged[keyword] = value;
        }
      }
      if (Object.keys(properties).length > 0) merged.properties = properties;
      if (required.size > 0) merged.required = [...required];
      schema = merged;
    }

    const alternatives = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
    if (alternatives) {
      const resolved = alternatives.map((alternative) => deref(document, alternative).node ?? {});
      const nonNull = resolved.filter((alternative) => !(alternative.type === 'null' && Object.keys(alternative).length === 1));
      if (nonNull.length === 1 && resolved.length > 1 && depth < MAX_REF_HOPS) {
        const inner = this.normalise(document, nonNull[0], depth + 1);
        if (inner) {
          const types = inner.types ? new Set([...inner.types, 'null']) : undefined;
          return { ...inner, types };
        }
      }
      const types = new Set<string>();
      let anyType = false;
      for (const alternative of resolved) {
        const inner = this.normalise(document, alternative, depth + 1);
        if (!inner?.types) anyType = true;
        else for (const type of inner.types) types.add(type);
      }
      return { schema, types: anyType ? undefined : types, enumValues: undefined, alternatives };
    }

    let types: Set<string> | undefined;
    if (typeof schema.type === 'string') types = new Set([schema.type]);
    else if (Array.isArray(schema.type)) types = new Set(schema.type.map(String));
    const enumRaw = Array.isArray(schema.enum) ? schema.enum : 'const' in schema ? [schema.const] : undefined;
    if (!types && enumRaw) types = new Set(enumRaw.map(jsonTypeOf).map((t) => (t === 'integer' ? 'number' : t)));
    if (types && schema.nullable === true) types.add('null');
    const enumValues = enumRaw?.map((value) => JSON.stringify(value));
    return { schema, types, enumValues, alternatives: undefined };
  }

  compareSchema(oldRaw: unknown, newRaw: unknown, direction: Direction, location: string, field = ''): void {
    const oldRef = deref(this.before, oldRaw).ref;
    const newRef = deref(this.after, newRaw).ref;
    // Only the schemas being compared further up this branch count: a recursive schema stops here,
    // while a component used in several places is still compared (and reported) at each of them.
    const visitKey = oldRef !== undefined && newRef !== undefined ? `${direction}|${oldRef}|${newRef}` : undefined;
    if (visitKey !== undefined) {
      if (this.visiting.has(visitKey)) return;
      this.visiting.add(visitKey);
    }
    try {
      this.compareResolved(oldRaw, newRaw, direction, location, field);
    } finally {
      if (visitKey !== undefined) this.visiting.delete(visitKey);
    }
  }

  private compareResolved(oldRaw: unknown, newRaw: unknown, direction: Direction, location: string, field: string): void {
    const before = this.normalise(this.before, oldRaw);
    const after = this.normalise(this.after, newRaw);
    if (!before || !after) return;
    const at = field ? `${location} ${field}` : location;

    this.compareTypes(before, after, direction, at);
    this.compareEnums(before, after, direction, at);
    if (direction === 'request') this.compareConstraints(before.schema, after.schema, at);
    this.compareProperties(before.schema, after.schema, direction, location, field);

    if (before.schema.items !== undefined || after.schema.items !== undefined) {
      this.compareSchema(before.schema.items, after.schema.items, direction, location, `${field}[]`);
    }
    if (isObject(before.schema.additionalProperties) && isObject(after.schema.additionalProperties)) {
      this.compareSchema(before.schema.additionalProperties, after.schema.additionalProperties, direction, location, `${field}{*}`);
    }
    this.compareAlternatives(before, after, direction, location, field, at);
  }

  private compareTypes(before: Normalised, after: Normalised, direction: Direction, at: string): void {
    const covers = (types: ReadonlySet<string>, type: string) =>
      types.has(type) || (type === 'integer' && types.has('number'));
    const show = (types: ReadonlySet<string> | undefined) => (types ? [...types].sort().join('|') : 'any');
    if (direction === 'request') {
      if (!after.types) {
        if (before.types) this.add(false, 'request-type-widened', at, `type widened from ${show(before.types)} to any`);
        return;
      }
      const lost = before.types ? [...before.types].filter((type) => !covers(after.types as ReadonlySet<string>, type)) : ['any'];
      if (lost.length > 0) {
        this.add(true, 'request-type-narrowed', at, `accepted type narrowed from ${show(before.types)} to ${show(after.types)}`);
      } else if (before.types && [...after.types].some((type) => !covers(before.types as ReadonlySet<string>, type))) {
        this.add(false, 'request-type-widened', at, `accepted type widened from ${show(before.types)} to ${show(after.types)}`);
      }
      return;
    }
    if (!before.types) return;
    const added = after.types ? [...after.types].filter((type) => !covers(before.types as ReadonlySet<string>, type)) : ['any'];
    if (added.length > 0) {
      this.add(true, 'response-type-changed', at, `type changed from ${show(before.types)} to ${show(after.types)}`);
    }
  }

  private compareEnums(before: Normalised, after: Normalised, direction: Direction, at: string): void {
    const oldValues = before.enumValues;
    const newValues = after.enumValues;
    if (direction === 'request') {
      if (!newValues) return;
      if (!oldValues) {
        this.add(true, 'request-enum-value-removed', at, `now only accepts ${newValues.join(', ')}`);
        return;
      }
      const removed = oldValues.filter((value) => !newValues.includes(value));
      const added = newValues.filter((value) => !oldValues.includes(value));
      if (removed.length > 0) this.add(true, 'request-enum-value-removed', at, `no longer accepts ${removed.join(', ')}`);
      if (added.length > 0) this.add(false, 'request-enum-value-added', at, `now also accepts ${added.join(', ')}`);
      return;
    }
    if (!oldValues) return;
    const added = newValues ? newValues.filter((value) => !oldValues.includes(value)) : ['any value'];
    if (added.length > 0) this.add(true, 'response-enum-value-added', at, `may now return ${added.join(', ')}`);
  }

  private compareConstraints(before: Schema, after: Schema, at: string): void {
    const num = (value: unknown) => (typeof value === 'number' ? value : undefined);
    for (const keyword of ['maxLength', 'maxItems', 'maxProperties', 'maximum', 'exclusiveMaximum']) {
      const was = num(before[keyword]);
      const now = num(after[keyword]);
      if (now !== undefined && (was === undefined || now < was)) {
        this.add(true, 'request-constraint-narrowed', at, `${keyword} lowered from ${was ?? 'none'} to ${now}`);
      }
    }
    for (const keyword of ['minLength', 'minItems', 'minProperties', 'minimum', 'exclusiveMinimum']) {
      const was = num(before[keyword]);
      const now = num(after[keyword]);
      if (now !== undefined && (was === undefined || now > was)) {
        this.add(true, 'request-constraint-narrowed', at, `${keyword} raised from ${was ?? 'none'} to ${now}`);
      }
    }
    for (const keyword of ['pattern', 'format']) {
      if (after[keyword] !== undefined && after[keyword] !== before[keyword]) {
        this.add(true, 'request-constraint-narrowed', at, `${keyword} changed from ${JSON.stringify(before[keyword] ?? null)} to ${JSON.stringify(after[keyword])}`);
      }
    }
  }

  private compareProperties(before: Schema, after: Schema, direction: Direction, location: string, field: string): void {
    const oldProps = asObject(before.properties);
    const newProps = asObject(after.properties);
    if (Object.keys(oldProps).length === 0 && Object.keys(newProps).length === 0 && !Array.isArray(after.required)) return;
    const oldRequired = new Set(Array.isArray(before.required) ? before.required.map(String) : []);
    const newRequired = new Set(Array.isArray(after.required) ? after.required.map(String) : []);
    const child = (name: string) => (field ? `${field}.${name}` : name);
    const at = (name: string) => `${location} ${child(name)}`;

    if (direction === 'request') {
      for (const name of newRequired) {
        if (oldRequired.has(name)) continue;
        if (name in oldProps) this.add(true, 'request-property-became-required', at(name), 'property is now required');
        else this.add(true, 'required-request-property-added', at(name), 'new required property');
      }
      for (const name of Object.keys(newProps)) {
        if (!(name in oldProps) && !newRequired.has(name)) this.add(false, 'request-property-added', at(name), 'new optional property');
      }
      const closed = after.additionalProperties === false;
      for (const name of Object.keys(oldProps)) {
        if (!(name in newProps)) {
          this.add(closed, 'request-property-removed', at(name), closed ? 'property removed and unknown properties are refused' : 'property no longer read');
        }
      }
      if (closed && before.additionalProperties !== false) {
        this.add(true, 'request-additional-properties-forbidden', field ? `${location} ${field}` : location, 'unknown properties are now refused');
      }
    } else {
      for (const name of Object.keys(oldProps)) {
        if (!(name in newProps)) this.add(true, 'response-property-removed', at(name), 'property removed');
        else if (oldRequired.has(name) && !newRequired.has(name)) {
          this.add(true, 'response-property-became-optional', at(name), 'property no longer always present');
        }
      }
      for (const name of Object.keys(newProps)) {
        if (!(name in oldProps)) this.add(false, 'response-property-added', at(name), 'property added');
      }
    }

    for (const name of Object.keys(oldProps)) {
      if (name in newProps) this.compareSchema(oldProps[name], newProps[name], direction, location, child(name));
    }
  }

  private compareAlternatives(before: Normalised, after: Normalised, direction: Direction, location: string, field: string, at: string): void {
    const oldAlternatives = before.alternatives;
    const newAlternatives = after.alternatives;
    if (!oldAlternatives || !newAlternatives) return;
    if (oldAlternatives.length === newAlternatives.length) {
      oldAlternatives.forEach((alternative, index) =>
        this.compareSchema(alternative, newAlternatives[index], direction, location, `${field}<${index}>`),
      );
      return;
    }
    if (direction === 'request' && newAlternatives.length < oldAlternatives.length) {
      this.add(true, 'request-alternative-removed', at, `accepts ${newAlternatives.length} alternatives instead of ${oldAlternatives.length}`);
    }
    if (direction === 'response' && newAlternatives.length > oldAlternatives.length) {
      this.add(true, 'response-alternative-added', at, `may return ${newAlternatives.length} alternatives instead of ${oldAlternatives.length}`);
    }
  }
}

/** Every change between two OpenAPI documents that the rules cover, breaking ones marked. */
export function diffOpenApi(before: unknown, after: unknown): OpenApiChange[] {
  const comparison = new Comparison(asObject(before), asObject(after));
  comparison.run();
  return comparison.changes;
}

/** One line per change: `POST /v1/sms/send request body (application/json) body.to: new required property`. */
export function formatChange(change: OpenApiChange): string {
  return `${change.location}: ${change.message} [${change.rule}]`;
}
