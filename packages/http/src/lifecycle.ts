/**
 * Where an app is in its life: `running`, `draining` (shutdown started, readiness answers 503 so
 * the load balancer stops sending traffic, requests are still served) or `closing` (the listener is
 * closed; requests still arriving on open keep-alive connections get a 503 problem).
 */
export type LifecyclePhase = 'running' | 'draining' | 'closing';

const phases = new WeakMap<object, LifecyclePhase>();

export function phaseOf(app: object): LifecyclePhase {
  return phases.get(app) ?? 'running';
}

export function setPhase(app: object, phase: LifecyclePhase): void {
  phases.set(app, phase);
}
