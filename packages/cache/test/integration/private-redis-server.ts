export { startPrivateRedisServer } from '@sms/testing';
export type { PrivateRedisServer } from '@sms/testing';
