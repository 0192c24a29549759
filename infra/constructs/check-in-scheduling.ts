import { type RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnSchedule, CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { ENV } from '#shared/contract.js';
import { sweepRequest } from '#shared/domain/sweep.js';
import { MonitoredDeadLetterQueue } from './monitored-dead-letter-queue.js';
import type { SoftPartnerFunction } from './soft-partner-function.js';

const SCHEDULER_SERVICE = 'scheduler.amazonaws.com';

/**
 * How often the sweep runs: every active membership without a pending check-in gets one, so a deleted
 * schedule or a dead-lettered step ends nobody's check-ins for longer than this.
 */
export const SWEEP_RATE_MINUTES = 60;

/**
 * What the sweep schedule puts on the send queue: a versioned request the sender recognises (see
 * shared/domain/sweep.ts), stamped with the time Scheduler fired it.
 */
export const SWEEP_SCHEDULE_INPUT = JSON.stringify(sweepRequest('<aws.scheduler.scheduled-time>'));

export interface CheckInSchedulingProps {
  /** Schedule group name; every schedule the app creates lives in it. */
  readonly groupName: string;
  /** The queue every schedule sends its step to (the send queue the sender function drains). */
  readonly targetQueue: IQueue;
  /** The queue self-serve setup schedules send their step to (the setup function drains it). */
  readonly setupQueue?: IQueue;
  /** Prefix for the dead-letter queue's name. */
  readonly resourcePrefix: string;
  readonly alarmTopic: ITopic;
  /** RETAIN in prod: deleting the group deletes every pending schedule in it. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Everything one-time EventBridge Scheduler schedules need: the schedule group, the execution role the
 * schedules run as (may only send to the send queue and to the schedule DLQ), the DLQ for deliveries
 * Scheduler gave up on, and the recurring sweep that restores any missing check-in schedule. It lives in
 * the stateful stack: the group holds every pending check-in.
 *
 * Functions that create schedules are enabled with {@link grantScheduleManagement}.
 */
export class CheckInScheduling extends Construct {
  readonly group: CfnScheduleGroup;
  readonly groupName: string;
  readonly role: Role;
  readonly deadLetterQueue: IQueue;
  /** The schedules' target: the send queue. */
  readonly targetQueue: IQueue;
  /** `arn:…:scheduler:<region>:<account>:schedule/<group>/*`: the schedules functions may manage. */
  readonly schedulesArn: string;
  /** `<group>-sweep`, every {@link SWEEP_RATE_MINUTES} minutes, into the send queue. */
  readonly sweepSchedule: CfnSchedule;

  constructor(scope: Construct, id: string, props: CheckInSchedulingProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.groupName = props.groupName;
    this.targetQueue = props.targetQueue;

    this.group = new CfnScheduleGroup(this, 'Group', { name: props.groupName });
    this.group.applyRemovalPolicy(props.removalPolicy);

    const dlq = new MonitoredDeadLetterQueue(this, 'DeadLetterQueue', {
      queueName: `${props.resourcePrefix}-schedule-dlq`,
      description: 'EventBridge Scheduler could not deliver a check-in schedule to the send queue.',
      alarmTopic: props.alarmTopic,
      removalPolicy: props.removalPolicy,
    });
    this.deadLetterQueue = dlq.queue;

    // Confused-deputy protection: only schedules of this account's group may assume the role.
    this.role = new Role(this, 'ExecutionRole', {
      description: `Assumed by EventBridge Scheduler for schedules in ${props.groupName}`,
      assumedBy: new ServicePrincipal(SCHEDULER_SERVICE, {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'scheduler',
              resource: 'schedule-group',
              resourceName: props.groupName,
            }),
          },
        },
      }),
    });
    // Exactly SendMessage: the target, and the DLQ for steps Scheduler could not deliver. Both queues use
    // SQS-managed encryption, so no KMS permission is involved.
    this.role.addToPolicy(
      new PolicyStatement({
        sid: 'SendToSendQueueAndDeadLetterQueue',
        actions: ['sqs:SendMessage'],
        resources: [
          props.targetQueue.queueArn,
          ...(props.setupQueue ? [props.setupQueue.queueArn] : []),
          this.deadLetterQueue.queueArn,
        ],
      }),
    );
    this.role.applyRemovalPolicy(props.removalPolicy);

    // Recurring, in the same group and with the same role and DLQ as the check-ins: it asks the sender to
    // schedule every active membership that has no pending check-in (idempotent: schedule names are
    // deterministic, so a check-in already pending is left alone).
    this.sweepSchedule = new CfnSchedule(this, 'SweepSchedule', {
      name: `${props.groupName}-sweep`,
      groupName: props.groupName,
      description: 'Schedules every active membership that has no pending check-in',
      scheduleExpression: `rate(${SWEEP_RATE_MINUTES} minutes)`,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: props.targetQueue.queueArn,
        roleArn: this.role.roleArn,
        input: SWEEP_SCHEDULE_INPUT,
        deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
        retryPolicy: { maximumEventAgeInSeconds: SWEEP_RATE_MINUTES * 60, maximumRetryAttempts: 10 },
      },
    });
    this.sweepSchedule.node.addDependency(this.group);
    this.sweepSchedule.applyRemovalPolicy(props.removalPolicy);

    this.schedulesArn = stack.formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${props.groupName}/*`,
    });
  }

  /**
   * Lets a function create, read and delete schedules in the group, and pass exactly the execution role
   * (to Scheduler only). Also sets SCHEDULE_GROUP_NAME, SCHEDULER_ROLE_ARN, SCHEDULE_TARGET_ARN (the send
   * queue's ARN) and SCHEDULE_DLQ_ARN, everything the function needs for CreateSchedule. Steps due within
   * 15 minutes skip Scheduler and go straight to the send queue, so the function is also bound to it
   * (`sqs:SendMessage` and SEND_QUEUE_URL, see {@link SoftPartnerFunction.bindSendQueue}): the handler's
   * scheduler configuration needs all of these together.
   */
  grantScheduleManagement(fn: SoftPartnerFunction): void {
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'ManageCheckInSchedules',
        actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule'],
        resources: [this.schedulesArn],
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'PassSchedulerExecutionRole',
        effect: Effect.ALLOW,
        actions: ['iam:PassRole'],
        resources: [this.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': SCHEDULER_SERVICE } },
      }),
    );
    NagSuppressions.addResourceSuppressions(
      fn.role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            `Schedules are created at runtime, one per due step, named after the step: Create/Get/DeleteSchedule ` +
            `need schedule/${this.groupName}/*, this app's group only (PassRole names the one execution role).`,
          // Partition, region and account are tokens, or literals when the CLI pins the environment.
          appliesTo: [{ regex: `/^Resource::arn:.+:scheduler:.+:schedule\\/${this.groupName}\\/\\*$/` }],
        },
      ],
      true,
    );
    fn.addEnvironment(ENV.SCHEDULE_GROUP_NAME, this.groupName)
      .addEnvironment(ENV.SCHEDULER_ROLE_ARN, this.role.roleArn)
      .addEnvironment(ENV.SCHEDULE_TARGET_ARN, this.targetQueue.queueArn)
      .addEnvironment(ENV.SCHEDULE_DLQ_ARN, this.deadLetterQueue.queueArn)
      .bindSendQueue(this.targetQueue);
    // The group name is a literal, so make the dependency explicit: no function exists before its group.
    fn.function.node.addDependency(this.group);
  }
}
