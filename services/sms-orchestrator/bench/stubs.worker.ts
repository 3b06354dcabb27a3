// The benchmark's stand-ins for numbering-service (gRPC ValidateLease from the shared proto) and
// routing-engine (HTTP, as the Pact contract says), in their own thread so their work does not
// share the service's event loop.
import { parentPort } from 'node:worker_threads';
import { startStubNumbering } from '../test/support/stub-numbering.js';
import { startStubRoutingEngine } from '../test/support/stub-routing-engine.js';

const numbering = await startStubNumbering();
const routing = await startStubRoutingEngine();
// The stubs record every call for tests; a long benchmark must not keep them all.
setInterval(() => {
  numbering.calls.length = 0;
  routing.calls.length = 0;
}, 1_000).unref();
parentPort?.postMessage({ numbering: numbering.address, routing: routing.url });
parentPort?.on('message', () => {
  void Promise.all([numbering.stop(), routing.stop()]).then(() => process.exit(0));
});
