import { Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks, type INagLogger, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * The cdk-nag packs every synthesis runs (infra/app.ts, and the infra tests through the same function):
 * AwsSolutions and Serverless. A finding is an error annotation, and cdk.json makes error annotations fail
 * synthesis, so nothing deploys with an unsuppressed finding. `reports` writes the packs' CSV reports
 * next to the templates (cdk.out).
 */
export function applyCompliancePacks(
  scope: IConstruct,
  options: { readonly reports?: boolean; readonly additionalLoggers?: INagLogger[] } = {},
): void {
  const packProps = {
    verbose: true,
    reports: options.reports ?? true,
    ...(options.additionalLoggers ? { additionalLoggers: options.additionalLoggers } : {}),
  };
  Aspects.of(scope).add(new AwsSolutionsChecks(packProps));
  Aspects.of(scope).add(new ServerlessChecks(packProps));
}
