import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ENV } from '#shared/aws/env';
import { TASKS } from '../../infra/tasks.ts';
import { actionsOf, enforcerTemplate, statementsOf } from './enforcer-template.ts';
import { buildApp, exampleConfigWith, MANAGEMENT_ACCOUNT, STACK_IDS, templateOf } from './synth.ts';

const template = enforcerTemplate();

describe('report topic', () => {
  it('encrypts the report topic with its own rotating key and refuses publishing without TLS', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EnforcerReportTopicKey'), 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('subscribes the configured e-mail addresses to the report', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'cloud-platform@example.com' });
  });

  it('lets CloudWatch, and only from this account, publish to the encrypted topic with the key actions AWS documents', () => {
    const fromThisAccount = { StringEquals: { 'aws:SourceAccount': MANAGEMENT_ACCOUNT } };
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Condition: fromThisAccount })]) },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Condition: fromThisAccount }),
        ]),
      },
    });
  });
});

describe('Slack webhook secret', () => {
  it('creates the Slack webhook secret with the configured name and no value in the template', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'alternate-contacts/slack-webhook',
      SecretString: Match.absent(),
      GenerateSecretString: Match.absent(),
    });
  });

  it('uses an existing Slack webhook secret by name when told to', () => {
    const existing = templateOf(buildApp({ slackWebhookSecret: 'existing' }), STACK_IDS.enforcer);

    existing.resourceCountIs('AWS::SecretsManager::Secret', 0);
    existing.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ENV.SLACK_SECRET_NAME]: 'alternate-contacts/slack-webhook' }) },
    });
  });

  describe('encrypted with a customer managed key (notifications.slackWebhookSecretKmsKeyArn)', () => {
    const KEY_ARN = `arn:aws:kms:us-east-1:${MANAGEMENT_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const withKey = () =>
      exampleConfigWith((c) => {
        c.notifications = { ...c.notifications, slackWebhookSecretKmsKeyArn: KEY_ARN };
      });
    // Secrets Manager decrypts on the caller's behalf: kms:Decrypt through Secrets Manager only.
    const decryptThroughSecretsManager = Match.objectLike({
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: KEY_ARN,
      Condition: { StringEquals: { 'kms:ViaService': Match.stringLikeRegexp('^secretsmanager\\.') } },
    });

    it('lets the report function decrypt an existing secret with that key, through Secrets Manager only', () => {
      const existing = templateOf(buildApp({ config: withKey(), slackWebhookSecret: 'existing' }), STACK_IDS.enforcer);

      existing.resourceCountIs('AWS::SecretsManager::Secret', 0);
      existing.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^EnforcerReportRole') }],
        PolicyDocument: { Statement: Match.arrayWith([decryptThroughSecretsManager]) },
      });
    });

    it('creates the secret encrypted with that key, and the report function may decrypt it', () => {
      const created = templateOf(buildApp({ config: withKey() }), STACK_IDS.enforcer);

      created.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'alternate-contacts/slack-webhook', KmsKeyId: KEY_ARN });
      created.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^EnforcerReportRole') }],
        PolicyDocument: { Statement: Match.arrayWith([decryptThroughSecretsManager]) },
      });
    });

    it('refuses a key ARN that is not one, naming the field', () => {
      const config = exampleConfigWith((c) => {
        c.notifications = { ...c.notifications, slackWebhookSecretKmsKeyArn: 'alias/slack' };
      });

      expect(() => buildApp({ config })).toThrow(/notifications\.slackWebhookSecretKmsKeyArn: must be a KMS key ARN/);
    });

    it('grants no KMS key to any function when the secret uses Secrets Manager\'s own key', () => {
      const decrypters = TASKS.filter((task) => statementsOf(task).some((statement) => actionsOf(statement).includes('kms:Decrypt')));

      expect(decrypters).toEqual(['report']); // the report topic's key, for publishing
    });
  });
});
