import type { Clock } from '#shared/domain/clock.js';
import { NotFoundError } from '#shared/domain/errors.js';
import type { StorePort } from '#shared/domain/ports.js';

/**
 * Read one partnership as the operator sees it (GET /partnerships/{id}): its members, their check-ins
 * and what is scheduled, as of now. An unknown id is a NotFoundError.
 */
export async function viewPartnership(
  deps: { store: Pick<StorePort, 'viewPartnership'>; clock: Clock },
  id: string,
) {
  const view = await deps.store.viewPartnership(id, deps.clock.now());
  if (!view) throw new NotFoundError('Partnership');
  return view;
}
