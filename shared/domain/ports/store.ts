import type { CheckInStorePort } from './check-in.js';
import type { ClaimStorePort } from './claim.js';
import type { DeliveryStorePort } from './delivery.js';
import type { GraceStorePort } from './grace.js';
import type { HistoryStorePort } from './history.js';
import type { InboundMessageStorePort } from './inbound.js';
import type { MemberStorePort } from './member.js';
import type { NeedStorePort } from './need.js';
import type { NewsStorePort } from './news.js';
import type { PartnershipStorePort } from './partnership.js';
import type { PersonStorePort } from './person.js';
import type { ProposalStorePort } from './proposal.js';
import type { QuotaStorePort } from './quota.js';

/**
 * What a conversation reads and writes (a reply by text or email, an email button): every aggregate's
 * port but the delivery reports, which only the status callback writes.
 */
export interface ConversationStorePort
  extends PartnershipStorePort,
    MemberStorePort,
    CheckInStorePort,
    GraceStorePort,
    HistoryStorePort,
    InboundMessageStorePort,
    ClaimStorePort,
    QuotaStorePort,
    NewsStorePort,
    ProposalStorePort,
    NeedStorePort,
    PersonStorePort {}

/**
 * The whole store, as one port: every aggregate's. A use case that needs only some of it can ask for
 * those ports alone (`store: NeedStorePort & MemberStorePort`), and a test can then hand it just those
 * in-memory parts (test/support/memory-store.ts).
 */
export interface StorePort extends ConversationStorePort, DeliveryStorePort {}
