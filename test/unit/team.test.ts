import { describe, expect, it } from 'vitest';
import { cadenceKeeper, isKeeperRotationDay, isWeeklyChatDay, peerCircles } from '#shared/domain/team.js';

const team = (size: number) =>
  Array.from({ length: size }, (_, index) => ({ id: `m${index + 1}`, status: 'active' as const }));

describe('team variants', () => {
  it.each([6, 7, 8])(
    'splits a team of %i into circles whose sizes differ by at most one, everyone in exactly one',
    (size) => {
      // Act
      const circles = peerCircles(team(size).map((member) => member.id));

      // Assess
      const sizes = circles.map((circle) => circle.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(2);
      const everyone = circles.flat();
      expect(everyone.sort()).toEqual(
        team(size)
          .map((member) => member.id)
          .sort(),
      );
      expect(new Set(everyone).size).toBe(size);
    },
  );

  it('splits a team of 7 into a circle of 4 and a circle of 3', () => {
    expect(peerCircles(['a', 'b', 'c', 'd', 'e', 'f', 'g'])).toEqual([
      ['a', 'c', 'e', 'g'],
      ['b', 'd', 'f'],
    ]);
  });

  it('keeps a team of fewer than 6 as one circle', () => {
    expect(peerCircles(['a', 'b', 'c', 'd', 'e'])).toEqual([['a', 'b', 'c', 'd', 'e']]);
  });

  it('hands the cadence keeper role on every seven days, in enrollment order, skipping who opted out', () => {
    // Prepare
    const members = [...team(3), { id: 'm4', status: 'opted_out' as const }];

    // Act
    const keepers = [1, 7, 8, 14, 15, 22].map((day) => cadenceKeeper(members, day)?.id);

    // Assess
    expect(keepers).toEqual(['m1', 'm1', 'm2', 'm2', 'm3', 'm1']);
    expect([1, 2, 7, 8, 9, 15].filter(isKeeperRotationDay)).toEqual([1, 8, 15]);
  });

  it('nudges a longer chat on Days 6 and 13, then weekly', () => {
    expect(Array.from({ length: 21 }, (_, index) => index + 1).filter(isWeeklyChatDay)).toEqual([6, 13, 20]);
  });
});
