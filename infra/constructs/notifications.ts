import { Stack, Validations } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { type CfnSecret, type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { EnforcerConfig } from '#shared/rules/config';
import { transparentToLogicalIds } from './logical-ids.ts';

export interface NotificationsProps {
  /** The configuration's notifications: the e-mails subscribed to the report, and the Slack secret's name and key. */
  readonly notifications: EnforcerConfig['notifications'];
  /**
   * Create the Slack webhook secret (empty: the URL never enters a template) rather than use an existing one by name.
   * Only applies when the configuration names a secret (notifications.slackWebhookSecretName).
   * @default true
   */
  readonly createSlackWebhookSecret?: boolean;
}

/**
 * Where reports and alarms go: the report topic, encrypted with its own rotating key and subscribed by the configured
 * e-mails, which CloudWatch alarms may publish to; and the Slack webhook secret when the configuration names one.
 */
export class Notifications extends Construct {
  public readonly topic: Topic;
  public readonly topicKey: Key;
  /** Absent when the configuration names no Slack secret. */
  public readonly slackWebhookSecret?: ISecret;
  /** The secret's name, which the report task reads it by; set exactly when the secret is. */
  public readonly slackWebhookSecretName?: string;
  private readonly slackWebhookSecretKmsKeyArn?: string;

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    transparentToLogicalIds(this);
    const { notifications } = props;
    this.topicKey = new Key(this, 'ReportTopicKey', { enableKeyRotation: true, description: 'Alternate Contacts Enforcer report topic' });
    this.topic = new Topic(this, 'ReportTopic', { masterKey: this.topicKey, enforceSSL: true, displayName: 'Alternate Contacts Enforcer' });
    for (const email of notifications.emails) this.topic.addSubscription(new EmailSubscription(email));
    // Alarms publish as CloudWatch, which needs the topic and, on an encrypted topic, kms:GenerateDataKey* and
    // kms:Decrypt on its key: AWS's key policy for event sources from AWS services.
    // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-encryption
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': Stack.of(this).account } });
    this.grantPublish(cloudWatch, ['kms:Decrypt', 'kms:GenerateDataKey*']);

    this.slackWebhookSecret = this.slackSecret(notifications, props.createSlackWebhookSecret ?? true);
    if (this.slackWebhookSecret) this.slackWebhookSecretName = notifications.slackWebhookSecretName;
    this.slackWebhookSecretKmsKeyArn = notifications.slackWebhookSecretKmsKeyArn;
  }

  /**
   * topic.grantPublish with the key actions each publisher needs. A publisher with its own role needs kms:Decrypt and
   * kms:GenerateDataKey, not CDK's kms:GenerateDataKey* wildcard.
   * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#sns-what-permissions-for-sse
   */
  public grantPublish(grantee: IGrantable, keyActions = ['kms:Decrypt', 'kms:GenerateDataKey']): void {
    this.topic.grants.actions(grantee, ['sns:Publish'], { keyActions });
  }

  /**
   * Reading a secret encrypted with a customer managed key also takes kms:Decrypt on that key; Secrets Manager calls
   * KMS on the reader's behalf, so kms:ViaService narrows the grant to that path.
   * https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html#security-encryption-authz
   */
  public grantSlackSecretRead(grantee: IGrantable): void {
    this.slackWebhookSecret?.grantRead(grantee);
    const keyArn = this.slackWebhookSecretKmsKeyArn;
    if (!keyArn) return;
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
  }

  /**
   * The Slack secret, created empty or looked up by name. With `slackWebhookSecretKmsKeyArn`, a created secret is
   * encrypted with that customer managed key.
   */
  private slackSecret(notifications: EnforcerConfig['notifications'], create: boolean): ISecret | undefined {
    const { slackWebhookSecretName: name, slackWebhookSecretKmsKeyArn: keyArn } = notifications;
    if (!name) return undefined;
    if (!create) return Secret.fromSecretNameV2(this, 'SlackWebhookSecret', name);
    const secret = new Secret(this, 'SlackWebhookSecret', {
      secretName: name,
      encryptionKey: keyArn ? Key.fromKeyArn(this, 'SlackWebhookSecretKey', keyArn) : undefined,
      description: 'Slack incoming-webhook URL for the Alternate Contacts Enforcer report. Fill it with put-secret-value.',
    });
    // A secret without a value: the webhook URL is set out of band and never appears in a template.
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-secretsmanager-secret.html
    (secret.node.defaultChild as CfnSecret).addPropertyDeletionOverride('GenerateSecretString');
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'A Slack webhook URL cannot be rotated by a Lambda; it is replaced by hand when Slack reissues it.',
    });
    return secret;
  }
}
