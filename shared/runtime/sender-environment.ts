import type { EnvShape } from '#shared/contract.js';
import * as z from '#shared/domain/zod.js';

/**
 * The rest of the sender's sizing (infra/config.ts senderSizing), read with readConfig (config.ts) by the
 * functions that send. In a module of its own so the inbound webhook's bundle, which reads config.ts and
 * sends nothing, does not carry these schemas (its size budget: test/infra/bundle-contents.test.ts).
 */
export const awsSenderSizingEnvironment = {
  /** Texts one instance may send ahead of its pace after a pause (the pacer takes the whole part). */
  SMS_BURST: z.optional(z.coerce.number().check(z.minimum(1), z.maximum(10_000))),
  /** Seconds between two emails of one instance (its share of SES's rate). */
  EMAIL_SECONDS_BETWEEN_SENDS: z.optional(z.coerce.number().check(z.minimum(0), z.maximum(600))),
  /** Time left (s) below which the sender starts no further step and hands the rest of its batch back. */
  SENDER_RESERVE_SECONDS: z.optional(z.coerce.number().check(z.minimum(0), z.maximum(900))),
} satisfies EnvShape;
