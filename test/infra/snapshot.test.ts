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

describe('CloudFormation templates (bundling off, asset hashes masked)', () => {
  it.each(['dev', 'prod'])('match the %s snapshot', (stage) => {
    const { statefulTemplate, statelessTemplate } = synthesize({ stage });
    expect({
      [`SoftPartnerStateful-${stage}`]: normalised(statefulTemplate),
      [`SoftPartnerStateless-${stage}`]: normalised(statelessTemplate),
    }).toMatchSnapshot();
  });
});
