// The whole platform in one process: embedded PostgreSQL, in-process bus, in-memory cache, local
// secrets and object store unless the environment names real servers (README, "Running against
// real infrastructure").
import { runServices } from '@sms/runtime';
import { platformServices } from './services.js';

await runServices(platformServices);
