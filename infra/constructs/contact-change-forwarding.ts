import { Stack, Validations } from 'aws-cdk-lib';
import { CfnStackSet } from 'aws-cdk-lib/aws-cloudformation';
import { AnyPrincipal, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { HOME_REGION } from '../names.ts';
import { contactChangedEvent } from './change-events.ts';
import { acknowledgeCustomResourceProvider } from './organization-setup.ts';

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
      stackSetName: 'AlternateContactsEnforcer-ContactChangeForwarding',
      description: 'Forwards alternate-contact changes made in this account to the Alternate Contacts Enforcer',
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      capabilities: ['CAPABILITY_IAM'],
      managedExecution: { Active: true },
      operationPreferences: { failureTolerancePercentage: 10, maxConcurrentPercentage: 25, regionConcurrencyType: 'PARALLEL' },
      stackInstancesGroup: [{ deploymentTargets: { organizationalUnitIds: [...targets] }, regions: [HOME_REGION] }],
      templateBody: Stack.of(this).toJsonString(memberTemplate(props.enforcerBusArn, props.writerRoleArns)),
    });
  }

  /** The organization's root: every member account sits under it. */
  private rootId(): string {
    const listRoots = new AwsCustomResource(this, 'OrganizationRoot', {
      onUpdate: { service: 'Organizations', action: 'listRoots', region: HOME_REGION, physicalResourceId: PhysicalResourceId.of('organization-root') },
      installLatestAwsSdk: false,
      policy: AwsCustomResourcePolicy.fromStatements([new PolicyStatement({ actions: ['organizations:ListRoots'], resources: ['*'] })]),
    });
    Validations.of(listRoots).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'organizations:ListRoots supports no resource-level permission; it only reads the root id.',
    });
    acknowledgeCustomResourceProvider(this);
    return listRoots.getResponseField('Roots.0.Id');
  }
}

/** One member account's stack: the forwarding rule and the role it puts events with. */
function memberTemplate(enforcerBusArn: string, writerRoleArns: readonly string[]) {
  // CloudFormation spells the pattern's keys as EventBridge does; CDK's EventPattern uses detailType.
  const { source, detailType, detail } = contactChangedEvent(writerRoleArns).pattern;
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
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'events.amazonaws.com' },
                Action: 'sts:AssumeRole',
                Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
              },
            ],
          },
          Policies: [
            {
              PolicyName: 'PutEventsOnEnforcerBus',
              PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: enforcerBusArn }] },
            },
          ],
        },
      },
      ContactChangedRule: {
        Type: 'AWS::Events::Rule',
        Properties: {
          Description: 'Alternate contact put or deleted in this account, by anyone but the enforcer',
          State: 'ENABLED',
          EventPattern: { source, 'detail-type': detailType, detail },
          Targets: [{ Id: 'EnforcerBus', Arn: enforcerBusArn, RoleArn: { 'Fn::GetAtt': ['ForwardingRole', 'Arn'] } }],
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
