import { describe, expect, it } from 'vitest';
import { checkInTemplateFor, trialDay, trialPlan } from '#shared/domain/trial-plan.js';
import { smsCopy } from '#templates/sms.js';

describe('the 14-day plan as data', () => {
  it('counts Day 1 as the local day after everyone joined', () => {
    expect(trialDay('2026-10-05', '2026-10-06')).toBe(1);
    expect(trialDay('2026-10-05', '2026-10-19')).toBe(14);
  });

  it('counts whole days across a daylight-saving change', () => {
    // Europe/London falls back on 25 October 2026.
    expect(trialDay('2026-10-20', '2026-10-27')).toBe(7);
  });

  it('asks Day 1, 3, 7 and 14 their own questions and every other day the plain check-in', () => {
    const templates = Array.from({ length: trialPlan.lengthDays }, (_, index) =>
      checkInTemplateFor(index + 1),
    );
    expect(templates).toEqual([
      'day1',
      'checkIn',
      'day3',
      'checkIn',
      'checkIn',
      'checkIn',
      'day7',
      'checkIn',
      'checkIn',
      'checkIn',
      'checkIn',
      'checkIn',
      'checkIn',
      'day14',
    ]);
  });

  it('reviews again every 14 days after the trial, without repeating Days 1, 3 and 7', () => {
    expect([15, 17, 21, 28, 42].map(checkInTemplateFor)).toEqual([
      'checkIn',
      'checkIn',
      'checkIn',
      'day14',
      'day14',
    ]);
  });

  it('names only templates that exist in the copy', () => {
    for (const day of Object.values(trialPlan.days)) expect(Object.keys(smsCopy)).toContain(day.template);
  });

  it('asks Day 3 about what feels easy and hard, and Day 7 about feeling supported or pressured', () => {
    expect(smsCopy.day3).toMatch(/easy.*hard/);
    expect(smsCopy.day7).toMatch(/supported.*pressured|pressured.*5/);
  });
});
