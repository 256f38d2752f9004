import { Stack } from 'aws-cdk-lib';
import { CfnStackSet } from 'aws-cdk-lib/aws-cloudformation';
import { AnyPrincipal, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { contactChanged } from '#shared/events/triggers/contact-changed';
import { patternOf } from '#shared/events/triggers/trigger';
import { HOME_REGION } from '../names.ts';
import { DEAD_LETTER_RETENTION } from './dead-letter-queue.ts';
import { sdkCall } from './sdk-call.ts';

/** The StackSet's name: the README's clean-up and troubleshooting commands name it. */
const FORWARDING_STACK_SET_NAME = 'AlternateContactsEnforcer-ContactChangeForwarding';

/** The rule's fixed name in each member account: its forwarding role trusts only this rule (aws:SourceArn). */
const MEMBER_RULE_NAME = 'AlternateContactsEnforcer-ForwardContactChanged';

/**
 * The StackSet's operations. Forwarding is a shortcut: a member without it still has its contacts reconciled by the
 * nightly run. So no member that refuses the instance (an SCP denying iam:CreateRole, a suspended account) may roll
 * back the whole stack: every failure is tolerated, and the failed instances are listed by
 * `aws cloudformation list-stack-instances --stack-set-name ... --filters Name=DETAILED_STATUS,Values=FAILED`.
 * SOFT_FAILURE_TOLERANCE keeps a quarter of the members in flight even while failures are being tolerated.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackSetOperationPreferences.html
 */
const FORWARDING_OPERATION_PREFERENCES: CfnStackSet.OperationPreferencesProperty = {
  failureTolerancePercentage: 100,
  maxConcurrentPercentage: 25,
  concurrencyMode: 'SOFT_FAILURE_TOLERANCE',
  regionConcurrencyType: 'PARALLEL',
};

export interface ContactChangeForwardingProps {
  /** The enforcer's bus: the management account's default bus (single topology) or the enforcer's own (delegated). */
  readonly enforcerBusArn: string;
  /** The roles the put task writes contacts as: left out of what is forwarded. */
  readonly writerRoleArns: readonly string[];
  /** Where the instances go: these OUs, or every member account (the organization's root) when absent. */
  readonly organizationalUnitIds?: readonly string[];
}

/**
 * A contact edited inside a member account is an event on that member's default bus in us-east-1 only. A
 * service-managed StackSet, auto-deployed to every member (and to each account that joins later), puts a rule there
 * that forwards those events, minus the enforcer's own writes, to the enforcer's bus, through a role that may only
 * PutEvents on that one bus. Service-managed StackSets never deploy to the management account, whose edits the
 * enforcer's own rule catches.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-manage-auto-deployment.html
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html
 */
export class ContactChangeForwarding extends Construct {
  public readonly stackSet: CfnStackSet;

  constructor(scope: Construct, id: string, props: ContactChangeForwardingProps) {
    super(scope, id);
    const targets = props.organizationalUnitIds ?? [this.rootId()];
    this.stackSet = new CfnStackSet(this, 'StackSet', {
      stackSetName: FORWARDING_STACK_SET_NAME,
      description: 'Forwards alternate-contact changes made in this account to the Alternate Contacts Enforcer',
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      capabilities: ['CAPABILITY_IAM'],
      managedExecution: { Active: true },
      operationPreferences: FORWARDING_OPERATION_PREFERENCES,
      stackInstancesGroup: [{ deploymentTargets: { organizationalUnitIds: [...targets] }, regions: [HOME_REGION] }],
      templateBody: Stack.of(this).toJsonString(memberTemplate(props.enforcerBusArn, props.writerRoleArns)),
    });
  }

  /** The organization's root: every member account sits under it. */
  private rootId(): string {
    const listRoots = sdkCall(this, 'OrganizationRoot', {
      onUpdate: { service: 'Organizations', action: 'listRoots', region: HOME_REGION, physicalResourceId: PhysicalResourceId.of('organization-root') },
      statements: [new PolicyStatement({ actions: ['organizations:ListRoots'], resources: ['*'] })],
      wildcardResourceReason: 'organizations:ListRoots supports no resource-level permission; it only reads the root id.',
    });
    return listRoots.getResponseField('Roots.0.Id');
  }
}

/**
 * One member account's stack: the forwarding rule, the role it puts events with, and a dead-letter queue for the
 * events it could not deliver. An event bus target takes no retry policy: EventBridge retries it for 24 hours
 * (185 attempts), then sends it to the queue, whose alarm shows in that member's console.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
 */
function memberTemplate(enforcerBusArn: string, writerRoleArns: readonly string[]) {
  const ruleArn = { 'Fn::Sub': `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:rule/${MEMBER_RULE_NAME}` };
  // Only this account's rule, by its ARN, may use the role or write to the queue: no other rule or account can.
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-conditions.html
  const fromTheRule = { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }, ArnEquals: { 'aws:SourceArn': ruleArn } };
  const queueArn = { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] };
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'Alternate Contacts Enforcer: forwards alternate-contact changes to the enforcer',
    Resources: {
      ForwardingRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          Description: 'Lets the contact-change rule put events on the Alternate Contacts Enforcer bus',
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: fromTheRule }],
          },
          Policies: [
            {
              PolicyName: 'PutEventsOnEnforcerBus',
              PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: enforcerBusArn }] },
            },
          ],
        },
      },
      // SSE-SQS: EventBridge cannot send to a queue encrypted with the AWS managed key aws/sqs.
      DeadLetterQueue: { Type: 'AWS::SQS::Queue', Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: DEAD_LETTER_RETENTION.toSeconds() } },
      DeadLetterQueuePolicy: {
        Type: 'AWS::SQS::QueuePolicy',
        Properties: {
          Queues: [{ Ref: 'DeadLetterQueue' }],
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              { Sid: 'ForwardingRuleDeadLetters', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: queueArn, Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } } },
              { Sid: 'TlsOnly', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sqs:*', Resource: queueArn, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
            ],
          },
        },
      },
      DeadLetterAlarm: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          AlarmDescription: 'A contact change in this account could not be forwarded to the Alternate Contacts Enforcer and waits in the dead-letter queue.',
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['DeadLetterQueue', 'QueueName'] } }],
          Statistic: 'Maximum',
          Period: 300,
          EvaluationPeriods: 1,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
        },
      },
      ContactChangedRule: {
        Type: 'AWS::Events::Rule',
        Properties: {
          Name: MEMBER_RULE_NAME,
          Description: 'Alternate contact put or deleted in this account, by anyone but the enforcer',
          State: 'ENABLED',
          EventPattern: patternOf(contactChanged.rule, writerRoleArns),
          Targets: [{ Id: 'EnforcerBus', Arn: enforcerBusArn, RoleArn: { 'Fn::GetAtt': ['ForwardingRole', 'Arn'] }, DeadLetterConfig: { Arn: queueArn } }],
        },
      },
    },
  };
}

/**
 * The bus policy statement that lets the member accounts' forwarding rules put contact events: any principal of
 * this organization only (aws:PrincipalOrgID), and only aws.account events.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html
 */
export function organizationForwardingStatement(organizationId: string, busArn: string): PolicyStatement {
  return new PolicyStatement({
    sid: 'ContactChangesFromOrganizationMembers',
    principals: [new AnyPrincipal()],
    actions: ['events:PutEvents'],
    resources: [busArn],
    conditions: { StringEquals: { 'aws:PrincipalOrgID': organizationId, 'events:source': ['aws.account'] } },
  });
}
