import { loadSync } from '@grpc/proto-loader';
import type { MessageTypeDefinition, MethodDefinition, PackageDefinition } from '@grpc/proto-loader';
import { NUMBERING_PROTO_FILE, NUMBERING_PROTO_OPTIONS } from './numbering.js';
import type { ValidateLeaseRequest__Output, ValidateLeaseResponse__Output } from './numbering.js';

/** A proto3 JSON value of the scalar fields these contracts carry (strings, booleans, 32-bit integers, and lists of them). */
export type ProtoJsonValue = string | boolean | number | readonly string[];
export type ProtoJsonObject = Readonly<Record<string, ProtoJsonValue>>;

/** Thrown when a JSON object is not the proto3 JSON of the message it claims to be (unknown field, wrong type). */
export class ProtoJsonError extends Error {
  override readonly name = 'ProtoJsonError';
}

/** The proto3 JSON mapping of one message type: to and from the objects grpc-js hands to handlers and callers. */
export interface ProtoJsonCodec<T> {
  /**
   * The message as grpc-js would decode it from the wire: `json` is checked against the message's fields,
   * encoded with the real protobuf codec, and decoded with {@link NUMBERING_PROTO_OPTIONS} (absent fields
   * read as their defaults).
   */
  fromJson(json: unknown): T;
  /**
   * The proto3 JSON of a message (lowerCamelCase field names, in field-number order), after a round trip
   * through the protobuf codec. Fields at their default value are printed too (the mapping's "emit
   * defaults" option), so `valid: false` is visible to a contract.
   */
  toJson(message: T): ProtoJsonObject;
}

/** The request and response codecs of one RPC. */
export interface RpcJsonCodecs<Req, Res> {
  readonly request: ProtoJsonCodec<Req>;
  readonly response: ProtoJsonCodec<Res>;
}

const SERVICE = 'sms.numbering.v1.Numbering';

let definition: PackageDefinition | undefined;
const numberingDefinition = (): PackageDefinition => (definition ??= loadSync(NUMBERING_PROTO_FILE, NUMBERING_PROTO_OPTIONS));

interface FieldDescriptor {
  readonly name: string;
  readonly type: string;
  readonly label: string;
}

interface MessageDescriptor {
  readonly name: string;
  readonly field: readonly FieldDescriptor[];
}

const descriptorOf = <T>(type: MessageTypeDefinition<T, T>): MessageDescriptor => type.type as MessageDescriptor;

const INTEGER_TYPES = new Set(['TYPE_INT32', 'TYPE_UINT32', 'TYPE_SINT32', 'TYPE_FIXED32', 'TYPE_SFIXED32']);

function checkScalar(typeName: string, field: FieldDescriptor, value: unknown): void {
  const where = `${typeName}.${field.name}`;
  if (field.type === 'TYPE_STRING') {
    if (typeof value !== 'string') throw new ProtoJsonError(`${where} must be a string`);
  } else if (field.type === 'TYPE_BOOL') {
    if (typeof value !== 'boolean') throw new ProtoJsonError(`${where} must be a boolean`);
  } else if (INTEGER_TYPES.has(field.type)) {
    if (typeof value !== 'number' || !Number.isInteger(value)) throw new ProtoJsonError(`${where} must be an integer`);
  } else {
    throw new ProtoJsonError(`${where} is a ${field.type}, which this mapping does not carry`);
  }
}

/** Checks that `json` names only fields of `typeName`, each with a value of its type. */
function checkJson(typeName: string, fields: readonly FieldDescriptor[], json: unknown): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ProtoJsonError(`${typeName} must be a JSON object`);
  for (const [key, value] of Object.entries(json)) {
    const field = fields.find((f) => f.name === key);
    if (field === undefined) throw new ProtoJsonError(`${typeName} has no field ${key} (fields: ${fields.map((f) => f.name).join(', ')})`);
    if (field.label === 'LABEL_REPEATED') {
      if (!Array.isArray(value)) throw new ProtoJsonError(`${typeName}.${key} must be a list`);
      for (const item of value) checkScalar(typeName, field, item);
    } else {
      checkScalar(typeName, field, value);
    }
  }
  return json as Record<string, unknown>;
}

function codec<T>(type: MessageTypeDefinition<T, T>, serialize: (value: T) => Buffer, deserialize: (bytes: Buffer) => T): ProtoJsonCodec<T> {
  const { name: typeName, field: fields } = descriptorOf(type);
  const toJson = (message: T): ProtoJsonObject => {
    const decoded = deserialize(serialize(message)) as Record<string, unknown>;
    const json: Record<string, ProtoJsonValue> = {};
    for (const field of fields) {
      const value = decoded[field.name];
      if (field.label === 'LABEL_REPEATED') {
        json[field.name] = Array.isArray(value) ? value.map(String) : [];
      } else {
        checkScalar(typeName, field, value);
        json[field.name] = value as ProtoJsonValue;
      }
    }
    return json;
  };
  return {
    fromJson: (json) => deserialize(serialize(checkJson(typeName, fields, json) as T)),
    toJson,
  };
}

function rpcJson<Req, Res>(rpc: string): RpcJsonCodecs<Req, Res> {
  const service = numberingDefinition()[SERVICE] as unknown as Record<string, MethodDefinition<Req, Res> | undefined>;
  const method = service[rpc];
  if (method === undefined) throw new ProtoJsonError(`no RPC ${rpc} in ${SERVICE}`);
  return {
    request: codec<Req>(method.requestType, method.requestSerialize, method.requestDeserialize),
    response: codec<Res>(method.responseType, method.responseSerialize, method.responseDeserialize),
  };
}

let validateLease: RpcJsonCodecs<ValidateLeaseRequest__Output, ValidateLeaseResponse__Output> | undefined;

/**
 * The proto3 JSON codecs of `ValidateLease`'s request and response, built from numbering.proto with the
 * same protobuf codec grpc-js uses on the wire. Pact message pacts carry the ValidateLease contract in this
 * form where the Pact protobuf plugin is not available (services' docs/api.md).
 */
export const validateLeaseJson = (): RpcJsonCodecs<ValidateLeaseRequest__Output, ValidateLeaseResponse__Output> =>
  (validateLease ??= rpcJson<ValidateLeaseRequest__Output, ValidateLeaseResponse__Output>('ValidateLease'));
