/**
 * Revisions (docs/data-model.md, "The phone's snapshot"): every write to a partnership's own item, a
 * member or a check-in counts `rev` up by one, so a copy of the item taken at revision r is the item
 * while `rev = r` still holds. A reply reads those copies from the phone's items and its transaction
 * checks that each is still at the revision it read.
 */
interface UpdateInput {
  UpdateExpression?: string | undefined;
  ExpressionAttributeValues?: Record<string, unknown> | undefined;
}

/** The same update, counting the item's revision up by one as well (ADD starts an absent one at 1). */
export const revised = <T extends UpdateInput>(input: T): T => ({
  ...input,
  UpdateExpression: `${input.UpdateExpression} ADD rev :revOne`,
  ExpressionAttributeValues: { ...input.ExpressionAttributeValues, ':revOne': 1 },
});

/** An item's revision as stored (items written before revisions were counted are at 0). */
export const revisionOf = (item: Record<string, unknown>): number =>
  typeof item.rev === 'number' ? item.rev : 0;

/** The condition that an item still exists at revision `rev` (names #rev, value :snapRev). */
export const atRevision = (rev: number) =>
  rev === 0
    ? { condition: 'attribute_exists(pk) AND attribute_not_exists(#rev)', values: {} }
    : { condition: '#rev = :snapRev', values: { ':snapRev': rev } };
