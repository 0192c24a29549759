import { Aspects } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import {
  AwsSolutionsChecks,
  type INagLogger,
  type NagLoggerErrorData,
  type NagLoggerNonComplianceData,
  type NagLoggerSuppressedData,
  ServerlessChecks,
} from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { applyCompliancePacks } from '../../infra/compliance.js';
import type { SoftPartnerStacks } from '../../infra/soft-partner.js';
import { synthesize } from './synth.js';

interface SuppressedFinding {
  readonly ruleId: string;
  readonly findingId: string;
  readonly path: string;
  readonly reason: string;
}

/**
 * A finding with its references masked: the first synthesis sees a cross-stack ARN as `<Table….Arn>`, later
 * ones as the resolved import, and the two must count as one finding.
 */
const maskReferences = (findingId: string): string => findingId.replace(/\{.*\}|<[^>]+>/g, '<ref>');

/**
 * Every finding the packs report, suppressed or not (the annotations only carry the unsuppressed ones). Each
 * synthesis of the app visits every resource again, so findings are keyed by rule, finding and resource.
 */
class FindingRecorder implements INagLogger {
  private readonly openFindings = new Set<string>();
  private readonly suppressedFindings = new Map<string, SuppressedFinding>();

  get open(): string[] {
    return [...this.openFindings];
  }
  get suppressed(): SuppressedFinding[] {
    return [...this.suppressedFindings.values()];
  }

  onNonCompliance(data: NagLoggerNonComplianceData): void {
    const finding = data.findingId ? `[${maskReferences(data.findingId)}]` : '';
    this.openFindings.add(`${data.ruleId}${finding} on ${data.resource.node.path}`);
  }
  onError(data: NagLoggerErrorData): void {
    this.openFindings.add(`${data.ruleId} could not check ${data.resource.node.path}: ${data.errorMessage}`);
  }
  onSuppressed(data: NagLoggerSuppressedData): void {
    const path = data.resource.node.path;
    const findingId = maskReferences(data.findingId);
    this.suppressedFindings.set(`${data.ruleId} ${findingId} on ${path}`, {
      ruleId: data.ruleId,
      findingId,
      path,
      reason: data.suppressionReason,
    });
  }
  onCompliance(): void {}
  onSuppressedError(): void {}
  onNotApplicable(): void {}
}

/**
 * Synthesizes one stage (bundling off) with the AwsSolutions and Serverless packs applied. cdk.json makes
 * error annotations fail synthesis, so a finding surfaces here as a thrown validation report: keep the error
 * and let the recorder say which finding it was.
 */
function synthesizeWithNag(stage: string) {
  const recorder = new FindingRecorder();
  let stacks: SoftPartnerStacks | undefined;
  let synthesisError: unknown;
  try {
    synthesize({ stage }, (added) => {
      stacks = added;
      // The same packs infra/app.ts applies at every synthesis, plus a recorder.
      applyCompliancePacks(added.stateful.node.root, { reports: false, additionalLoggers: [recorder] });
    });
  } catch (error) {
    synthesisError = error;
  }
  if (!stacks) throw new Error('the stacks were never added');
  return { recorder, stacks, synthesisError };
}

/** Every rule this app suppresses somewhere, each next to its resource with its reason. */
const SUPPRESSED_RULES = [
  'AwsSolutions-APIG4',
  'AwsSolutions-IAM5',
  'AwsSolutions-L1',
  'AwsSolutions-S1',
  'AwsSolutions-SMG4',
  'AwsSolutions-SQS3',
  'Serverless-LambdaDLQ',
  'Serverless-LambdaEventSourceMappingDestination',
  'Serverless-LambdaLatestVersion',
  'Serverless-LambdaTracing',
  'Serverless-SQSRedrivePolicy',
];

describe.each(['dev', 'prod'])('cdk-nag (AwsSolutions and Serverless) on the %s stage', (stage) => {
  const { recorder, stacks, synthesisError } = synthesizeWithNag(stage);

  it('applies exactly the AwsSolutions and Serverless packs, the ones infra/app.ts applies at synth', () => {
    const packs = Aspects.of(stacks.stateful.node.root).all.filter(
      (aspect) => aspect instanceof AwsSolutionsChecks || aspect instanceof ServerlessChecks,
    );
    expect(packs.map((pack) => pack.constructor.name).sort()).toEqual([
      'AwsSolutionsChecks',
      'ServerlessChecks',
    ]);
  });

  it('leaves no finding unsuppressed', () => {
    expect(recorder.open).toEqual([]);
    expect(synthesisError).toBeUndefined();
    for (const stack of [stacks.stateful, stacks.stateless]) {
      const annotations = Annotations.fromStack(stack);
      const nag = Match.stringLikeRegexp('AwsSolutions-.*|Serverless-.*');
      expect(annotations.findError('*', nag)).toEqual([]);
      expect(annotations.findWarning('*', nag)).toEqual([]);
    }
  });

  it('suppresses only the expected rules, each with a specific reason', () => {
    const byRule = new Map<string, number>();
    for (const { ruleId } of recorder.suppressed) byRule.set(ruleId, (byRule.get(ruleId) ?? 0) + 1);
    const summary = [...byRule.entries()].sort(([a], [b]) => a.localeCompare(b));
    console.log(
      `cdk-nag ${stage}: ${recorder.suppressed.length} suppressed findings\n` +
        summary.map(([ruleId, count]) => `  ${ruleId} × ${count}`).join('\n'),
    );
    expect(summary.map(([ruleId]) => ruleId)).toEqual(SUPPRESSED_RULES);
    for (const { ruleId, path, reason } of recorder.suppressed) {
      // A reason says why this resource is fine, not just that it is: more than a slogan.
      expect(reason.length, `${ruleId} on ${path}`).toBeGreaterThanOrEqual(60);
    }
  });

  it('suppresses IAM5 only for the inbound/ object and schedule-group wildcards (the table has no index)', () => {
    const wildcards = recorder.suppressed
      .filter(({ ruleId }) => ruleId === 'AwsSolutions-IAM5')
      .map(({ findingId, path }) => ({ findingId, role: path.split('/')[1] }));
    const rolesWith = (finding: string) =>
      wildcards
        .filter(({ findingId }) => findingId === finding)
        .map(({ role }) => role)
        .sort();
    expect(rolesWith('Resource::<ref>/index/*')).toEqual([]);
    expect(rolesWith(`Resource::arn:<ref>:scheduler:<ref>:<ref>:schedule/soft-partner-${stage}/*`)).toEqual([
      'Dispatch',
      'EmailLinks',
      'Enroll',
      'InboundEmail',
      'InboundSms',
      'SelfServe',
    ]);
    expect(rolesWith('Resource::<ref>/inbound/*')).toEqual(['InboundEmail']);
    expect(wildcards).toHaveLength(6 + 1);
  });
});
