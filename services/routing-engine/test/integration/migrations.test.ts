import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRoutingWorld } from '../support/engine-world.js';
import type { RoutingWorld } from '../support/engine-world.js';

let world: RoutingWorld;

beforeAll(async () => {
  world = await createRoutingWorld('routing_migrations', { migrate: false });
});

afterAll(async () => {
  await world.cleanup();
});

describe('routing migrations', () => {
  it('apply up, revert all the way down and apply up again', async () => {
    const firstUp = await world.migrate('up');
    const down = await world.migrate('down', firstUp.length);
    const secondUp = await world.migrate('up');
    expect([firstUp, down, secondUp]).toEqual([
      ['1_outbox_inbox', '2_routing_state'],
      ['2_routing_state', '1_outbox_inbox'],
      ['1_outbox_inbox', '2_routing_state'],
    ]);
  });
});
