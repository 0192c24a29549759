import { isValidPhoneNumber, parsePhoneNumberWithError } from 'libphonenumber-js/core';
import { isValidTimeZone } from './calendar.js';
import { phoneMetadata } from './phone-metadata.js';
import { DEFAULT_QUIET_HOURS, isQuietTime } from './quiet-hours.js';
import { cleanText } from './text-hygiene.js';
import * as z from './zod.js';

/** Longest name and goal we accept, so that every SMS template still fits one segment when filled. */
export const MAX_NAME_LENGTH = 24;
export const MAX_GOAL_LENGTH = 60;
export const MIN_MEMBERS = 2;
export const MAX_MEMBERS = 8;

const e164Phone = z.pipe(
  z.string().check(
    z.trim(),
    z.refine((value) => value.startsWith('+') && isValidPhoneNumber(value, phoneMetadata()), {
      message: 'must be a valid phone number in E.164 form, e.g. +14155550123',
    }),
  ),
  z.transform((value) => parsePhoneNumberWithError(value, phoneMetadata()).number),
);

const ianaTimeZone = z.pipe(
  z.string().check(
    z.trim(),
    z.refine((value) => isValidTimeZone(value) && value.includes('/'), {
      message: 'must be an IANA time zone such as Europe/London',
    }),
  ),
  z.transform(spellTimeZone),
);

/**
 * A zone as the member entered it, with its letters in the usual case: "Asia/Kolkata" stays Asia/Kolkata
 * (ICU would answer its older alias, Asia/Calcutta), "europe/london" becomes Europe/London.
 */
export function spellTimeZone(entered: string): string {
  const canonical = new Intl.DateTimeFormat('en-US', { timeZone: entered }).resolvedOptions().timeZone;
  if (canonical.toLowerCase() === entered.toLowerCase()) return canonical;
  if (entered !== entered.toLowerCase() && entered !== entered.toUpperCase()) return entered;
  // Typed all in one case: each word capitalised, as the IANA names are (america/new_york → America/New_York).
  return entered
    .toLowerCase()
    .replace(/(^|[/_-])([a-z])/g, (_match, before: string, letter: string) => before + letter.toUpperCase());
}

/** Free text a person typed: NFC, without hidden characters (removed before the length is checked). */
const cleanString = (min: number, max: number) =>
  z.string().check(z.overwrite(cleanText), z.minLength(min, { message: 'is required' }), z.maxLength(max));

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

const localTime = z
  .string()
  .check(z.trim(), z.regex(HH_MM, { message: 'must be a 24-hour local time HH:MM, e.g. 08:30' }));

const quietHoursSchema = z.object({ start: localTime, end: localTime }).check(
  z.refine((hours) => hours.start !== hours.end, {
    message: 'must start and end at different times',
    path: ['end'],
  }),
);

export const memberInputSchema = z
  .object({
    name: cleanString(1, MAX_NAME_LENGTH),
    phone: e164Phone,
    email: z.optional(z.email({ message: 'must be an email address' })),
    timezone: ianaTimeZone,
    checkInTime: localTime,
    goal: cleanString(1, MAX_GOAL_LENGTH),
    /** An optional deadline for the goal, a local date; partners can agree to move it. */
    deadline: z.optional(z.iso.date({ message: 'must be a date YYYY-MM-DD' })),
    /** Check-ins every day, or Monday to Friday only. */
    cadence: z._default(z.enum(['daily', 'weekdays']), 'daily'),
    /** When we never text this member, local time; 21:00 to 07:00 unless they choose otherwise. */
    quietHours: z.optional(quietHoursSchema),
    /** How the daily check-in reaches this member; email needs an address (texts still come for news). */
    checkInBy: z._default(z.enum(['sms', 'email']), 'sms'),
  })
  .check(
    z.superRefine((member, ctx) => {
      if (member.checkInBy === 'email' && !member.email) {
        ctx.addIssue({
          code: 'custom',
          path: ['email'],
          message: 'is required when checkInBy is "email"',
        });
      }
      const quiet = member.quietHours ?? DEFAULT_QUIET_HOURS;
      if (HH_MM.test(member.checkInTime) && isQuietTime(member.checkInTime, quiet)) {
        ctx.addIssue({
          code: 'custom',
          path: ['checkInTime'],
          message: `is inside quiet hours (${quiet.start} to ${quiet.end}); pick a time we may text you`,
        });
      }
    }),
  );

export const enrollmentSchema = z
  .object({
    members: z
      .array(memberInputSchema)
      .check(
        z.minLength(MIN_MEMBERS, { message: `needs ${MIN_MEMBERS} to ${MAX_MEMBERS} members` }),
        z.maxLength(MAX_MEMBERS, { message: `needs ${MIN_MEMBERS} to ${MAX_MEMBERS} members` }),
      ),
    graceTokensPerMonth: z._default(z.number().check(z.int(), z.gte(0), z.lte(10)), 2),
    /**
     * Removed: it only ever accepted ["sms"] and changed nothing (every member gets texts; email check-ins
     * are chosen per member with `checkInBy`). ["sms"] is still accepted and ignored, so no old client
     * breaks; anything else is refused with a pointer to `checkInBy`.
     */
    channels: z.optional(
      z.array(z.string()).check(
        z.refine((list) => list.length > 0 && list.every((channel) => channel === 'sms'), {
          message:
            'is no longer used: every member gets texts; for email check-ins set checkInBy to "email" on the member',
        }),
      ),
    ),
    /** How members reach the organiser, e.g. "Text Sam" or an email address; shown in HELP. */
    organiser: z.optional(cleanString(1, 40)),
    /** Teams: when the support board digest goes out, in each member's own time zone. */
    boardTime: z.optional(localTime),
    /** Teams: a shared buffer added to every member's deadline, in days. */
    bufferDays: z._default(z.number().check(z.int(), z.gte(0), z.lte(14)), 0),
  })
  .check(
    z.superRefine((input, ctx) => {
      if (input.boardTime) {
        input.members.forEach((member, index) => {
          const quiet = member.quietHours ?? DEFAULT_QUIET_HOURS;
          if (input.boardTime && isQuietTime(input.boardTime, quiet)) {
            ctx.addIssue({
              code: 'custom',
              path: ['boardTime'],
              message: `is inside the quiet hours of members.${index} (${quiet.start} to ${quiet.end})`,
            });
          }
        });
      }
      const seen = new Set<string>();
      input.members.forEach((member, index) => {
        if (seen.has(member.phone)) {
          ctx.addIssue({
            code: 'custom',
            path: ['members', index, 'phone'],
            message: 'is already used by another member of this partnership',
          });
        }
        seen.add(member.phone);
      });
    }),
  );

export type MemberInput = z.infer<typeof memberInputSchema>;
export type Enrollment = z.infer<typeof enrollmentSchema>;
export type EnrollmentInput = z.input<typeof enrollmentSchema>;
