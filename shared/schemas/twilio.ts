import { ValidationError, validationIssues } from '#shared/domain/errors.js';
import * as z from '#shared/domain/zod.js';

const messageSid = z
  .string()
  .check(z.regex(/^(SM|MM)\w{10,40}$/, { message: 'must be a Twilio message SID' }));

/** The fields of Twilio's inbound message webhook that we rely on; the rest is kept raw. */
export const inboundSmsFormSchema = z.looseObject({
  MessageSid: messageSid,
  From: z.string().check(z.minLength(1, { message: 'is required' }), z.maxLength(32)),
  To: z.string().check(z.minLength(1, { message: 'is required' }), z.maxLength(32)),
  Body: z._default(z.string().check(z.maxLength(1600)), ''),
});

export type InboundSmsForm = z.infer<typeof inboundSmsFormSchema>;

/** The fields of Twilio's message status callback that we rely on. */
export const statusCallbackFormSchema = z.looseObject({
  MessageSid: messageSid,
  MessageStatus: z.string().check(z.regex(/^[a-z_]{2,24}$/, { message: 'must be a Twilio message status' })),
  ErrorCode: z.optional(z.string().check(z.maxLength(10))),
});

/** Parses a verified form, naming each missing or malformed field (a field-level 400). */
export function parseForm<S extends z.ZodMiniType>(schema: S, form: Record<string, string>): z.infer<S> {
  const parsed = schema.safeParse(form);
  if (!parsed.success) throw new ValidationError(validationIssues(parsed.error.issues));
  return parsed.data;
}
