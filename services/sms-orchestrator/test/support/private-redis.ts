// A redis-server of the test's own, for the outage drills (never the shared server).
export { startPrivateRedisServer as startPrivateRedis } from '@sms/testing';
export type { PrivateRedisServer as PrivateRedis } from '@sms/testing';
