/**
 * A scheduled step's store: over DynamoDB, a step's turn (one read, and what follows the send written
 * with the step's completion in one transaction: shared/adapters/dynamodb/send-turn.ts); any other store
 * as it is. Handlers reach it here, as they reach every adapter through shared/runtime.
 */
export { stepStore } from '#shared/adapters/dynamodb/send-turn.js';
