import type { NewsItem } from '../partnership.js';

/** Partner news waiting for a member, and when it may next go out. */
export interface NewsStorePort {
  /** The news waiting for a member (kept until removeNews, so a failed send loses nothing). */
  pendingNews(partnershipId: string, recipientId: string): Promise<NewsItem[]>;
  removeNews(partnershipId: string, recipientId: string, items: NewsItem[]): Promise<void>;
  /** Reserves the next partner-news slot for a member: not before `earliest`, at least `spacingMinutes` after the last. */
  reserveNewsSlot(
    partnershipId: string,
    recipientId: string,
    earliest: Date,
    spacingMinutes: number,
  ): Promise<Date>;
}
