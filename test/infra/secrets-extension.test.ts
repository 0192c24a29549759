import { ParamsAndSecretsVersions } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { SECRETS_CACHE_TTL } from '../../infra/constructs/soft-partner-function.js';
import { resources, synthesize } from './synth.js';

/**
 * Every function that reads secrets reads them through the AWS Parameters and Secrets Lambda Extension
 * (shared/runtime/aws-deps.ts secretString), so each one must carry the extension's arm64 layer and the
 * settings CDK renders for it; email-events reads none and carries nothing.
 */

const LAYER_ARN =
  /^arn:aws:lambda:([a-z0-9-]+):\d{12}:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:\d+$/;
/** The key CDK's per-region mapping files the layer ARN under: version and architecture. */
const MAPPING_KEY = `${ParamsAndSecretsVersions.V1_0_103.replace(/\./g, 'x')}xarm64`;

const EXTENSION_ENVIRONMENT = {
  PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED: 'true',
  PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE: '10',
  PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: '2773',
  PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL: 'warn',
  SECRETS_MANAGER_TTL: String(SECRETS_CACHE_TTL.toSeconds()),
};

interface FunctionProperties {
  FunctionName?: string;
  Architectures?: string[];
  Layers?: unknown[];
  Environment?: { Variables?: Record<string, unknown> };
}

const functionsOf = (template: ReturnType<typeof synthesize>['statelessTemplate']) =>
  Object.values(resources(template, 'AWS::Lambda::Function')).map(
    (resource) => resource.Properties as FunctionProperties,
  );

describe('Parameters and Secrets Lambda Extension', () => {
  it('caches a secret for five minutes, the longest the extension allows', () => {
    expect(SECRETS_CACHE_TTL.toSeconds()).toBe(300);
  });

  describe('in a region-agnostic stack (no CDK_DEFAULT_REGION)', () => {
    const { statelessTemplate: template } = synthesize({ stage: 'dev' });
    const mappings = (
      template.toJSON() as { Mappings?: Record<string, Record<string, Record<string, string>>> }
    ).Mappings;

    it('gives the six functions that read secrets the arm64 layer, looked up per region at deploy time, and its settings; email-events none', () => {
      const functions = functionsOf(template);
      expect(functions).toHaveLength(7);
      const [withoutSecrets, ...others] = [
        functions.filter((fn) => JSON.stringify(fn.FunctionName ?? '').includes('email-events')),
        functions.filter((fn) => !JSON.stringify(fn.FunctionName ?? '').includes('email-events')),
      ];
      expect(withoutSecrets).toHaveLength(1);
      expect(withoutSecrets?.[0]?.Layers).toBeUndefined();
      expect(withoutSecrets?.[0]?.Environment?.Variables).not.toHaveProperty('SECRETS_MANAGER_TTL');
      for (const fn of others.flat()) {
        expect(fn.Architectures).toEqual(['arm64']);
        expect(fn.Layers).toHaveLength(1);
        const [findInMap] = fn.Layers ?? [];
        expect(findInMap).toEqual({
          'Fn::FindInMap': [expect.any(String), { Ref: 'AWS::Region' }, MAPPING_KEY],
        });
        expect(fn.Environment?.Variables).toMatchObject(EXTENSION_ENVIRONMENT);
      }
    });

    it("maps each region to that region's arm64 layer, including the SES receiving regions docs/deploy.md names", () => {
      const [mappingName] = Object.keys(mappings ?? {});
      expect(Object.keys(mappings ?? {})).toHaveLength(1);
      const mapping = mappings?.[mappingName ?? ''] ?? {};
      expect(Object.keys(mapping)).toEqual(expect.arrayContaining(['us-east-1', 'us-west-2', 'eu-west-1']));
      for (const [region, arns] of Object.entries(mapping)) {
        const arn = arns[MAPPING_KEY] ?? '';
        expect(arn).toMatch(LAYER_ARN);
        expect(LAYER_ARN.exec(arn)?.[1]).toBe(region);
      }
    });
  });

  describe('in a stack pinned to a region (the CLI resolved credentials)', () => {
    it("names the region's arm64 layer ARN directly", () => {
      const { statelessTemplate: template } = synthesize({ stage: 'dev' }, undefined, {
        account: '123456789012',
        region: 'eu-west-1',
      });
      const readers = functionsOf(template).filter((fn) => fn.Layers !== undefined);
      expect(readers).toHaveLength(6);
      for (const fn of readers) {
        expect(fn.Layers).toHaveLength(1);
        expect(fn.Layers?.[0]).toEqual(expect.stringMatching(LAYER_ARN));
        expect(LAYER_ARN.exec(String(fn.Layers?.[0]))?.[1]).toBe('eu-west-1');
        expect(fn.Environment?.Variables).toMatchObject(EXTENSION_ENVIRONMENT);
      }
    });

    it('refuses to synthesize for a region without the arm64 layer', () => {
      expect(() =>
        synthesize({ stage: 'dev' }, undefined, { account: '123456789012', region: 'eu-central-2' }),
      ).toThrow(/Parameters and Secrets Extension is not supported in region eu-central-2 for arm64/);
    });
  });
});
