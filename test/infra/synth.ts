import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { App, type Environment } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CfnRole } from 'aws-cdk-lib/aws-iam';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { resolveStageConfig } from '../../infra/config.js';
import type { SoftPartnerFunction } from '../../infra/constructs/soft-partner-function.js';
import { addSoftPartnerStacks, type SoftPartnerStacks } from '../../infra/soft-partner.js';

type CdkJson = { context?: Record<string, unknown> };

/** The feature flags from cdk.json, so tests synthesize exactly what `cdk synth` does. */
const cdkJsonContext = (
  JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as CdkJson
).context;

export interface SynthesizedApp extends SoftPartnerStacks {
  readonly statefulTemplate: Template;
  readonly statelessTemplate: Template;
}

/**
 * Synthesizes one stage the way infra/app.ts does, with esbuild bundling switched off
 * (`aws:cdk:bundling-stacks: []`) so no asset is built and synthesis takes about a second.
 */
export function synthesize(
  context: Record<string, unknown> = {},
  /** Lets a test alter the stacks before they are synthesized. */
  customize?: (stacks: SoftPartnerStacks) => void,
  /** Account and region, as infra/app.ts passes them when the CLI resolved credentials; default agnostic. */
  env?: Environment,
): SynthesizedApp {
  const app = new App({
    context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [], ...context },
  });
  const stacks = addSoftPartnerStacks(app, resolveStageConfig(app.node), env);
  customize?.(stacks);
  return {
    ...stacks,
    statefulTemplate: Template.fromStack(stacks.stateful),
    statelessTemplate: Template.fromStack(stacks.stateless),
  };
}

export interface PolicyStatementJson {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

interface PolicyDocumentJson {
  Statement: PolicyStatementJson[];
}

interface ResourceJson {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
}

export function resources(template: Template, type?: string): Record<string, ResourceJson> {
  const all = (template.toJSON() as { Resources: Record<string, ResourceJson> }).Resources;
  return Object.fromEntries(
    Object.entries(all).filter(([, resource]) => type === undefined || resource.Type === type),
  );
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Every statement of every identity policy (AWS::IAM::Policy and inline role policies) in a template. */
export function allIdentityStatements(template: Template): PolicyStatementJson[] {
  const statements: PolicyStatementJson[] = [];
  for (const policy of Object.values(resources(template, 'AWS::IAM::Policy'))) {
    const document = policy.Properties?.PolicyDocument as { Statement: PolicyStatementJson[] };
    statements.push(...document.Statement);
  }
  for (const role of Object.values(resources(template, 'AWS::IAM::Role'))) {
    const inline = (role.Properties?.Policies ?? []) as {
      PolicyDocument: { Statement: PolicyStatementJson[] };
    }[];
    for (const policy of inline) statements.push(...policy.PolicyDocument.Statement);
  }
  return statements;
}

/** Statements of the policies attached to a function's execution role. */
export function statementsOf(template: Template, fn: SoftPartnerFunction): PolicyStatementJson[] {
  const cfnRole = fn.function.role?.node.defaultChild;
  if (!(cfnRole instanceof CfnRole)) throw new Error(`${fn.node.path} has no CDK-managed role`);
  return statementsOfRole(template, fn.function.stack.getLogicalId(cfnRole));
}

export function statementsOfRole(template: Template, roleLogicalId: string): PolicyStatementJson[] {
  return Object.values(resources(template, 'AWS::IAM::Policy'))
    .filter((policy) => asArray(policy.Properties?.Roles).some((role) => isRefTo(role, roleLogicalId)))
    .flatMap(
      (policy) => (policy.Properties?.PolicyDocument as PolicyDocumentJson | undefined)?.Statement ?? [],
    );
}

function isRefTo(value: unknown, logicalId: string): boolean {
  return typeof value === 'object' && value !== null && (value as { Ref?: unknown }).Ref === logicalId;
}

/** The environment variables of a function as rendered in its stack's template. */
export function environmentOf(template: Template, fn: SoftPartnerFunction): Record<string, unknown> {
  const cfnFunction = fn.function.node.defaultChild;
  if (!(cfnFunction instanceof CfnFunction)) throw new Error(`${fn.node.path} has no CfnFunction`);
  const logicalId = fn.function.stack.getLogicalId(cfnFunction);
  const resource = resources(template, 'AWS::Lambda::Function')[logicalId];
  if (!resource) throw new Error(`No function ${logicalId} in template`);
  const environment = resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined;
  return environment?.Variables ?? {};
}

/**
 * How the stateless template reads a value of the stateful stack: a weak cross-stack reference
 * (`Fn::GetStackOutput`) to the stateful output that publishes it.
 */
export function importedFromStateful(app: SynthesizedApp, token: string): unknown {
  const value = app.stateful.resolve(token);
  const outputs = (app.statefulTemplate.toJSON() as { Outputs?: Record<string, { Value: unknown }> }).Outputs;
  const outputName = Object.entries(outputs ?? {}).find(
    ([name, output]) => name.startsWith('PublishOutput') && isDeepStrictEqual(output.Value, value),
  )?.[0];
  if (!outputName) throw new Error(`The stateful stack publishes no output for ${JSON.stringify(value)}`);
  return {
    'Fn::GetStackOutput': {
      StackName: app.stateful.stackName,
      Region: { Ref: 'AWS::Region' },
      OutputName: outputName,
    },
  };
}
