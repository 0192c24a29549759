import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synthesize } from './synth.js';

/**
 * A template with everything that changes without the infrastructure changing masked: asset hashes (the
 * `S3Key` of each function's code and any other 64-hex digest, which follow every source edit) become
 * `<asset-hash>`. Logical IDs are derived from construct paths only, so they stay.
 */
function normalised(template: Template): unknown {
  const json = JSON.stringify(template.toJSON()).replace(/\b[0-9a-f]{64}\b/g, '<asset-hash>');
  return JSON.parse(json);
}

// Synthesized once per stage while the file loads, so no test spends its own time limit on a synthesis
// (the first one in a process pays for loading aws-cdk-lib too).
const synthesized = { dev: synthesize({ stage: 'dev' }), prod: synthesize({ stage: 'prod' }) };

describe('CloudFormation templates (bundling off, asset hashes masked)', () => {
  it.each(['dev', 'prod'] as const)('match the %s snapshot', (stage) => {
    const { statefulTemplate, statelessTemplate } = synthesized[stage];
    expect({
      [`SoftPartnerStateful-${stage}`]: normalised(statefulTemplate),
      [`SoftPartnerStateless-${stage}`]: normalised(statelessTemplate),
    }).toMatchSnapshot();
  });
});
