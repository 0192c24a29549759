import { Stack } from 'aws-cdk-lib';
import {
  ConfigurationSet,
  EmailIdentity,
  Identity,
  MailFromBehaviorOnMxFailure,
  ReceiptRuleSet,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface MailDomainProps {
  /** The domain email is sent from, e.g. `example.org`. */
  readonly mailDomain: string;
  /** Custom MAIL FROM domain (`mail.<mailDomain>`), so SPF aligns with the From domain. */
  readonly mailFromDomain: string;
  /** Name of the configuration set every send uses (its event destination is added by the stateless stack). */
  readonly configurationSetName: string;
  /** Name of the receipt rule set the inbound-mail rule lives in; operators activate it once by hand. */
  readonly receiptRuleSetName: string;
}

/**
 * The SES setup an operator mirrors in DNS and in the account's settings: the domain identity (Easy DKIM,
 * custom MAIL FROM), the configuration set every send uses, and the receipt rule set for replies.
 *
 * It lives in the stateful stack because recreating it is not free: a new identity gets new DKIM tokens (three
 * CNAMEs to change), and SES refuses to delete the active receipt rule set, so the stateless stack (which adds
 * the receipt rule and the configuration set's event destination) can still be destroyed at will.
 */
export class MailDomain extends Construct {
  readonly identity: EmailIdentity;
  readonly configurationSet: ConfigurationSet;
  /** `arn:…:ses:<region>:<account>:configuration-set/<name>`: SendEmail is authorized against it too. */
  readonly configurationSetArn: string;
  readonly receiptRuleSet: ReceiptRuleSet;

  constructor(scope: Construct, id: string, props: MailDomainProps) {
    super(scope, id);

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: props.configurationSetName,
      reputationMetrics: true,
      // Never retry an address that bounced or complained: both count against the sender's reputation.
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.configurationSetArn = Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });

    // Easy DKIM is the default; the configuration set is the identity's default, so even a send that forgets
    // EMAIL_CONFIGURATION_SET reports its bounces and complaints.
    this.identity = new EmailIdentity(this, 'Identity', {
      identity: Identity.domain(props.mailDomain),
      mailFromDomain: props.mailFromDomain,
      // Until the MAIL FROM MX record exists, send with amazonses.com as MAIL FROM rather than reject.
      mailFromBehaviorOnMxFailure: MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE,
      configurationSet: this.configurationSet,
    });

    this.receiptRuleSet = new ReceiptRuleSet(this, 'ReceiptRuleSet', {
      receiptRuleSetName: props.receiptRuleSetName,
    });
  }
}
