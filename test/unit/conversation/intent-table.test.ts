import { describe, expect, expectTypeOf, it } from 'vitest';
import { INTENT_KINDS, type Intent } from '#shared/domain/conversation/types.js';
import type { Member, Partnership } from '#shared/domain/partnership.js';
import type { StorePort } from '#shared/domain/ports.js';
import { say } from '#shared/use-cases/converse/context.js';
import {
  handleIntent,
  type IntentHandlers,
  intentHandlers,
  type TurnContext,
} from '#shared/use-cases/converse/index.js';

/** An intent the grammar does not know yet: what adding one to the table looks like. */
type Cheer = { kind: 'cheer'; text: string };
type WithCheer = Intent | Cheer;

const member = (id: string, name: string): Member => ({
  id,
  partnershipId: 'p1',
  status: 'active',
  name,
  phone: id === 'm1' ? '+12125550101' : '+447911123456',
  timezone: 'Europe/London',
  checkInTime: '08:30',
  goal: 'write 300 words',
  cadence: 'daily',
  checkInBy: 'sms',
});

const partnership: Partnership = {
  id: 'p1',
  createdAt: '2026-10-05T12:00:00Z',
  graceTokensPerMonth: 2,
  channels: ['sms'],
  organiser: 'Ask Cy, who set this up.',
};

/** A store no handler here may reach: any call fails the test, naming the method. */
const untouchableStore = new Proxy(
  {},
  {
    get: (_target, method) => () => {
      throw new Error(`unexpected store call: ${String(method)}`);
    },
  },
) as StorePort;

function turnContext(): TurnContext {
  const [ada, ben] = [member('m1', 'Ada'), member('m2', 'Ben')];
  return {
    deps: { store: untouchableStore, scheduler: { schedule: async () => {}, cancel: async () => {} } },
    partnership,
    members: [ada, ben],
    member: ada,
    now: new Date('2026-10-07T12:00:00Z'),
    cause: 'SM0000000000000000000000000000test',
    latestCheckIn: async () => undefined,
    marked: false,
  };
}

describe('the intent table', () => {
  it('has a handler for every intent kind the grammar reads', () => {
    // Assess
    expect(Object.keys(intentHandlers)).toEqual(expect.arrayContaining([...INTENT_KINDS]));
  });

  it('hands each handler its own kind of intent', () => {
    // Assess
    expectTypeOf(intentHandlers.grace).parameter(1).toEqualTypeOf<{ kind: 'grace' }>();
    expectTypeOf(intentHandlers.tweak).parameter(1).toEqualTypeOf<Extract<Intent, { kind: 'tweak' }>>();
  });

  it('refuses, at compile time, a table with a new intent and no handler for it', () => {
    // Prepare / Act: `npm test` type-checks this file; without the error below, tsc fails on the directive.
    // @ts-expect-error: property 'cheer' is missing
    const incomplete: IntentHandlers<WithCheer> = { ...intentHandlers };

    // Assess
    expect('cheer' in incomplete).toBe(false);
  });

  it('runs a new intent through a table built with the table type, beside the existing ones', async () => {
    // Prepare
    const table: IntentHandlers<WithCheer> = {
      ...intentHandlers,
      cheer: async (ctx, intent) => say(ctx, 'winCelebrate', { win: intent.text }),
    };
    const ctx = turnContext();
    const cheer: WithCheer = { kind: 'cheer', text: 'finished the draft' };
    const help: WithCheer = { kind: 'help' };

    // Act
    const cheered = await handleIntent(table, ctx, cheer);
    const helped = await handleIntent(table, ctx, help);

    // Assess
    expect(cheered.answers).toEqual([
      { template: 'winCelebrate', values: { name: 'Ada', partner: 'Ben', win: 'finished the draft' } },
    ]);
    expect(helped.answers).toEqual([
      { template: 'help', values: { name: 'Ada', partner: 'Ben', organiser: 'Ask Cy, who set this up.' } },
    ]);
  });
});
