import { describe, expect, it } from 'vitest';
import type { Clock } from '#shared/domain/clock.js';
import type { Member } from '#shared/domain/partnership.js';
import * as steps from '#shared/domain/steps.js';
import { type DispatchDeps, dispatchScheduledStep } from '#shared/use-cases/dispatch/index.js';
import { ADA } from '../support/members.js';
import { memorySms } from '../support/memory-sms.js';
import { memoryStore } from '../support/memory-store.js';

const T0 = new Date('2026-11-25T15:00:00Z');
const ada: Member = {
  ...ADA,
  id: 'm1',
  partnershipId: 'p1',
  status: 'active',
  cadence: 'daily',
  checkInBy: 'sms',
};

/** A partnership in memory, a provider in memory, and a store whose next completion of a text fails. */
async function world() {
  const clock: Clock & { at: Date } = { at: T0, now: () => clock.at };
  const provider = memorySms(clock);
  const store = memoryStore();
  await store.createPartnership({ id: 'p1', createdAt: T0.toISOString(), graceTokensPerMonth: 2 }, [ada]);
  const failures: string[] = [];
  const deps: DispatchDeps = {
    store: {
      ...store,
      markUndeliverable: async () => true,
      clearUndeliverable: async () => false,
      // A write after the provider call failing (a timeout): the text went, its claim is not done.
      completeClaim: async (key, at) => {
        if (key.includes('#sms#') && failures.shift()) throw new Error('write timed out');
        return store.completeClaim(key, at);
      },
    },
    sms: provider.sms,
    scheduler: { schedule: async () => {}, cancel: async () => {} },
    clock,
    email: {
      send: async () => {
        throw new Error('no email in this test');
      },
    },
    emailSettings: {
      linkSecret: 'secret',
      publicBaseUrl: 'https://example.org',
      inboundDomain: 'example.org',
    },
  };
  const step = steps.notify(ada, 'board', { board: 'a quiet hour' }, 'SMcause', T0);
  return { deps, step, provider, clock, failWriteAfterSend: () => failures.push('fail') };
}

describe('a text sent once per step, even when its step fails after the provider took it', () => {
  it('a redelivery finds the text the failed attempt sent, and sends none', async () => {
    // Prepare
    const { deps, step, provider, failWriteAfterSend } = await world();
    failWriteAfterSend();

    // Act
    const failed = await dispatchScheduledStep(deps, step).catch((error: Error) => error.message);
    const again = await dispatchScheduledStep(deps, step);
    const duplicate = await dispatchScheduledStep(deps, step);

    // Assess
    expect(failed).toBe('write timed out');
    expect([again, duplicate]).toEqual(['sent', 'duplicate']);
    expect(provider.texts).toHaveLength(1);
  });

  it('a redelivery that finds nothing (the provider refused the first attempt) sends the text', async () => {
    // Prepare
    const { deps, step, provider } = await world();
    provider.refuse(new Error('Twilio answered 500'));

    // Act
    const failed = await dispatchScheduledStep(deps, step).catch((error: Error) => error.message);
    const again = await dispatchScheduledStep(deps, step);

    // Assess
    expect(failed).toBe('Twilio answered 500');
    expect(again).toBe('sent');
    expect(provider.texts).toHaveLength(1);
  });

  it('the same text sent before the claim was first taken is not taken for this one', async () => {
    // Prepare: the same words texted to Ada an hour earlier, by another step.
    const { deps, step, provider, clock } = await world();
    const earlier = new Date(T0.getTime() - 3_600_000);
    clock.at = earlier;
    await dispatchScheduledStep(
      deps,
      steps.notify(ada, 'board', { board: 'a quiet hour' }, 'SMearlier', earlier),
    );
    clock.at = T0;
    provider.refuse(new Error('Twilio answered 503'));

    // Act
    const failed = await dispatchScheduledStep(deps, step).catch((error: Error) => error.message);
    const again = await dispatchScheduledStep(deps, step);

    // Assess
    expect(failed).toBe('Twilio answered 503');
    expect(again).toBe('sent');
    expect(provider.texts.map((text) => text.body)).toEqual([
      provider.texts[0]?.body,
      provider.texts[0]?.body,
    ]);
    expect(provider.texts).toHaveLength(2);
  });
});
