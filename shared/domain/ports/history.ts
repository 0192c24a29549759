import type { CheckIn, Need, NewsItem } from '../partnership.js';

export interface PartnershipHistory {
  checkIns: CheckIn[];
  events: HistoryEvent[];
  needs: Need[];
}

export interface HistoryEvent {
  memberId: string;
  kind: string;
  at: string;
  data?: Record<string, unknown>;
}

/** What happened in a partnership, which the Day-14 summary is computed from. */
export interface HistoryStorePort {
  /** Everything that happened in a partnership: check-ins, events and needs, oldest first. */
  history(partnershipId: string): Promise<PartnershipHistory>;
  /** Records an event, and with it (in the same request) the news it gives partners, if any. */
  recordEvent(
    partnershipId: string,
    event: HistoryEvent,
    news?: Array<{ recipientId: string; item: NewsItem }>,
  ): Promise<void>;
}
