import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/**
 * zod/mini with zod's English messages: import it as `import * as z from '…/domain/zod.js'`.
 * Full zod sets these messages when it loads, and brings every other locale with it (≈ 445 KB in each
 * Lambda bundle); zod/mini has no messages of its own ("Invalid input"). Every schema imports zod from
 * here, so the messages our 400 bodies list stay as they were, whichever schema is parsed first.
 */
config(en());

export * from 'zod/mini';
