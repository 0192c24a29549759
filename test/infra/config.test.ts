import { App, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { PLACEHOLDER_TWILIO_FROM_NUMBER, resolveStageConfig } from '../../infra/config.js';

const configFor = (context: Record<string, unknown>) => resolveStageConfig(new App({ context }).node);

describe('stage config', () => {
  it('defaults to the dev stage with short log retention and destroyable resources', () => {
    const config = configFor({});
    expect(config).toMatchObject({
      stage: 'dev',
      resourcePrefix: 'soft-partner-dev',
      logRetention: RetentionDays.ONE_WEEK,
      removalPolicy: RemovalPolicy.DESTROY,
      tableDeletionProtection: false,
      twilioFromNumber: PLACEHOLDER_TWILIO_FROM_NUMBER,
    });
    expect(config.publicBaseUrl).toBeUndefined();
  });

  it('retains data and protects the table in prod', () => {
    expect(configFor({ stage: 'prod' })).toMatchObject({
      stage: 'prod',
      resourcePrefix: 'soft-partner-prod',
      logRetention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
      tableDeletionProtection: true,
      statefulTerminationProtection: true,
    });
  });

  it('rejects an unknown stage', () => {
    expect(() => configFor({ stage: 'staging' })).toThrow(/Unknown stage "staging"/);
  });

  it('takes publicBaseUrl from context without its trailing slash, and only over https', () => {
    expect(configFor({ publicBaseUrl: 'https://sms.example.com/' }).publicBaseUrl).toBe(
      'https://sms.example.com',
    );
    expect(() => configFor({ publicBaseUrl: 'http://sms.example.com' })).toThrow(/https/);
  });

  it('takes twilioFromNumber from context and insists on E.164', () => {
    expect(configFor({ twilioFromNumber: '+447700900123' }).twilioFromNumber).toBe('+447700900123');
    expect(() => configFor({ twilioFromNumber: '555-1234' })).toThrow(/E\.164/);
  });
});
