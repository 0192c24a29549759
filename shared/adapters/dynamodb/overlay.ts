import type { DynamoDbStore } from '../dynamodb-store.js';

/** The store's reads: what an overlay (a reply's or a step's turn) passes on without a second thought. */
const READS = new Set<string>([
  'assemble',
  'queryAll',
  'getPartnership',
  'viewPartnership',
  'partnershipsWithActiveMembers',
  'findMembershipsByPhone',
  'findMembershipsByEmail',
  'lookUpPhone',
  'checkInOn',
  'latestCheckIn',
  'graceSpent',
  'deliveryReports',
  'getPerson',
  'history',
  'openNeedsOfOthers',
  'getProposal',
  'pendingProposalFor',
  'pendingNews',
] satisfies Array<keyof DynamoDbStore>);

/**
 * Gives `overlay` every write method of `store` it does not define itself, each running `before` (with
 * the method's name) first, which may throw or write what the overlay holds so far, then the write.
 */
export function passWrites(
  overlay: object,
  store: DynamoDbStore,
  before: (name: string) => void | Promise<void>,
): void {
  for (const name of methodNames(store)) {
    if (READS.has(name) || Object.hasOwn(overlay, name)) continue;
    const method: unknown = Reflect.get(store, name);
    if (typeof method !== 'function') continue;
    Reflect.set(overlay, name, async (...args: unknown[]) => {
      await before(name);
      return Reflect.apply(method, store, args);
    });
  }
}

/** The names of an object's methods, along its prototype chain. */
function methodNames(object: object): string[] {
  const names = new Set<string>();
  for (let proto = Object.getPrototypeOf(object); proto && proto !== Object.prototype; ) {
    for (const name of Object.getOwnPropertyNames(proto)) if (name !== 'constructor') names.add(name);
    proto = Object.getPrototypeOf(proto);
  }
  return [...names];
}
