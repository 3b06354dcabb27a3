export {
  ObjectAlreadyExistsError,
  ObjectRetainedError,
  ObjectKeyRejectedError,
  ObjectStoreUnavailableError,
} from './object-store.port.js';
export type { ObjectStore, PutObjectOptions, ObjectHead, ObjectStoreUnavailableReason } from './object-store.port.js';
export { objectKeyProblem } from './object-key.js';
export { createS3ObjectStore } from './s3.object-store.js';
export type { S3ObjectStore, S3ObjectStoreOptions } from './s3.object-store.js';
export { createLocalObjectStore } from './local.object-store.js';
export type { LocalObjectStoreOptions } from './local.object-store.js';
