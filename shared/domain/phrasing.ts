/**
 * Which of several phrasings of one answer a member reads today. Deterministic, so tests stay exact:
 * seeded by the member and their local date, and rotating one step a day, so consecutive days never
 * repeat one of the last two phrasings (with three or more), and with five phrasings the same one
 * reaches a member at most three times in a fortnight. Nothing needs storing: the date is the state.
 */
export function phrasingIndex(memberId: string, localDate: string, count: number): number {
  if (count <= 1) return 0;
  const day = Math.floor(Date.parse(`${localDate}T00:00:00Z`) / 86_400_000);
  return (seedOf(memberId) + (Number.isFinite(day) ? day : 0)) % count;
}

/** A small stable hash (FNV-1a, 32 bits) of a member id: where each member's rotation starts. */
function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
