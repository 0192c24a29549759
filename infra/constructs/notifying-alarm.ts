import { Alarm, type AlarmProps, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

/** What every group of alarms is given: how their names start and whom they notify. */
export interface AlarmGroupProps {
  /** Alarm names are `<prefix>-<what>`. */
  readonly alarmNamePrefix: string;
  readonly alarmTopic: ITopic;
}

/**
 * The app's kind of alarm: it fires on one period at or above its threshold (unless told otherwise),
 * takes missing data (nothing happened) as fine, and tells `topic` both when it fires and when it clears.
 */
export function notifyingAlarm(
  scope: Construct,
  id: string,
  topic: ITopic,
  props: Omit<AlarmProps, 'evaluationPeriods' | 'treatMissingData' | 'comparisonOperator'> & {
    comparisonOperator?: ComparisonOperator;
  },
): Alarm {
  const alarm = new Alarm(scope, id, {
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    ...props,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  const action = new SnsAction(topic);
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
  return alarm;
}
