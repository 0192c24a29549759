import type { ClaimResult } from './claim.js';

export interface InboundRecord {
  messageSid: string;
  from: string;
  to: string;
  body: string;
  receivedAt: string;
  raw: Record<string, string>;
}

/** A text a member sent us: kept raw before anything interprets it, and handled once. */
export interface InboundMessageStorePort {
  /**
   * Keeps a raw inbound message and claims it, in one write: 'claimed' the first time (or when an earlier
   * delivery's lease ran out unfinished), 'already_done' once completeInbound recorded what it did,
   * 'in_progress' while another delivery holds it. The raw message is kept whatever happens next.
   */
  receiveInbound(record: InboundRecord, at: Date, leaseSeconds: number): Promise<ClaimResult>;
  /** Gives a received message's claim up (its handling failed), so a redelivery may take it at once. */
  releaseInbound(messageSid: string): Promise<void>;
  completeInbound(
    messageSid: string,
    /** `rejected` names why a message was kept but not applied (a failed check). */
    outcome: { intent: string; reply?: string; memberId?: string; rejected?: string },
  ): Promise<void>;
}
