import { inject } from 'vitest';

// Every startEmbeddedServers / startLocalStack in this worker (and every `npm start` or script it spawns)
// uses the run's one DynamoDB Local, with a table of its own (local/stack.ts).
process.env.DYNAMODB_ENDPOINT = inject('dynamoDbEndpoint');
