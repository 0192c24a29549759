import { describe, expect, it } from 'vitest';
import type { CheckIn } from '#shared/domain/partnership.js';
import type { HistoryEvent } from '#shared/domain/ports.js';
import { MAX_PROMPTS_LENGTH, weekFacts, weeklyChatPrompts } from '#shared/domain/weekly-chat.js';

const from = new Date('2026-10-21T00:00:00Z');
const to = new Date('2026-10-28T00:00:00Z');
const checkIn = (memberId: string, day: number, status: CheckIn['status'], mood?: number): CheckIn => ({
  partnershipId: 'p',
  memberId,
  localDate: `2026-10-${20 + day}`,
  status,
  sentAt: `2026-10-${20 + day}T12:30:00.000Z`,
  ...(mood === undefined ? {} : { mood }),
});
const event = (memberId: string, kind: string, at: string): HistoryEvent => ({ memberId, kind, at });

describe('weekly chat prompts', () => {
  it('asks what kept the rhythm after a steady week, and fills in with a general prompt', () => {
    // Prepare
    const checkIns = [1, 2, 3].map((day) => checkIn('m1', day, 'on_track'));

    // Act
    const prompts = weeklyChatPrompts(weekFacts({ checkIns, events: [] }, ['m1', 'm2'], from, to));

    // Assess
    expect(prompts).toBe('what kept the rhythm?; what felt easy or hard?');
  });

  it('draws on the week: a win and a need come first, within the room the check-in leaves', () => {
    // Prepare
    const checkIns = [checkIn('m1', 1, 'on_track'), checkIn('m2', 2, 'grace')];
    const events = [
      event('m1', 'win', '2026-10-22T13:00:00.000Z'),
      event('m2', 'need', '2026-10-23T13:00:00.000Z'),
    ];

    // Act
    const prompts = weeklyChatPrompts(weekFacts({ checkIns, events }, ['m1', 'm2'], from, to));

    // Assess
    expect(prompts).toBe('celebrate the win; how did help land?');
    expect(prompts.length).toBeLessThanOrEqual(MAX_PROMPTS_LENGTH);
  });

  it('looks only at the members asked about and at the week asked about', () => {
    // Prepare: a win by someone else, and a grace day the week before.
    const checkIns = [checkIn('m1', -3, 'grace'), checkIn('m1', 2, 'sent', 2)];
    const events = [event('m3', 'win', '2026-10-22T13:00:00.000Z')];

    // Act
    const facts = weekFacts({ checkIns, events }, ['m1', 'm2'], from, to);

    // Assess
    expect(facts).toMatchObject({ hadWin: false, hadGrace: false, hadLowMood: true, steady: false });
    expect(weeklyChatPrompts(facts)).toBe('what weighed on you?; what felt easy or hard?');
  });
});
