import type { OutboundSms, SmsPort } from '#shared/domain/ports.js';

/**
 * An in-memory SMS provider: it keeps every text it accepts (stamped with the clock's time) and finds
 * them again as Twilio's list does (same number and body, accepted at or after `since`). `refuse` makes
 * the next sends fail unsent, as a provider error would.
 */
export function memorySms(clock: { now(): Date }) {
  const texts: Array<OutboundSms & { sid: string; at: Date }> = [];
  const refusals: Error[] = [];
  const sms: SmsPort = {
    async send(message) {
      const refusal = refusals.shift();
      if (refusal) throw refusal;
      const sid = `SM${String(texts.length + 1).padStart(32, '0')}`;
      texts.push({ ...message, sid, at: clock.now() });
      return { sid };
    },
    async findSent({ to, body, since }) {
      const found = texts.findLast(
        (text) => text.to === to && text.body === body && text.at.getTime() >= since.getTime(),
      );
      return found && { sid: found.sid };
    },
  };
  return { sms, texts, refuse: (error: Error) => refusals.push(error) };
}
