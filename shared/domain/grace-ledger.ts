import { isoMonthOf, localMs, zoned } from './calendar.js';

/**
 * Grace tokens are counted per member per calendar month in the member's own time zone:
 * a token spent at 23:30 on 31 January in Tokyo belongs to January there, whatever UTC says.
 */
export function graceMonth(at: Date, timezone: string): string {
  return isoMonthOf(localMs(zoned(at, timezone)));
}

/** Tokens left this month; never below zero, never above the allowance. */
export function graceTokensLeft(allowance: number, spent: number): number {
  return Math.max(0, Math.min(allowance, allowance - spent));
}

/** Whether one more token may be spent. The store enforces the same rule with a conditional write. */
export function canSpendGrace(allowance: number, spent: number): boolean {
  return spent < allowance;
}
