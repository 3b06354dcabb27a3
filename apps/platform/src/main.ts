// The whole platform in one process: embedded PostgreSQL, in-process bus, in-memory cache, local
// secrets and object store unless the environment names real servers (README, "Running against
// real infrastructure"). In embedded mode it also starts an SMSC simulator per operator and seeds
// the demo topology (apps/platform/README.md).
import { startPlatform } from './platform.js';

await startPlatform({ env: process.env });
