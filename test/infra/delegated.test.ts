import type { Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, DELEGATED, ENFORCER_ACCOUNT, MANAGEMENT_ACCOUNT, ORGANIZATION, STACK_IDS, templateOf } from './synth.ts';

const partitionArn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });
const ENFORCER_BUS_ARN = partitionArn(`:events:us-east-1:${ENFORCER_ACCOUNT}:event-bus/alternate-contacts-enforcer`);
const MANAGEMENT_ROLE_ARN = partitionArn(`:iam::${MANAGEMENT_ACCOUNT}:role/AlternateContactsEnforcer-ManagementAccount`);
const CALLER_ROLE_ARNS = [
  partitionArn(`:iam::${ENFORCER_ACCOUNT}:role/AlternateContactsEnforcer-GetContacts`),
  partitionArn(`:iam::${ENFORCER_ACCOUNT}:role/AlternateContactsEnforcer-PutContacts`),
];
const CONTACT_TYPE_CONDITION = {
  'ForAllValues:StringEquals': { 'account:AlternateContactTypes': ['SECURITY', 'BILLING', 'OPERATIONS'] },
  Null: { 'account:AlternateContactTypes': 'false' },
};

let enforcer: Template;
let management: Template;
beforeAll(() => {
  const app = buildApp(DELEGATED);
  enforcer = templateOf(app, STACK_IDS.enforcer);
  management = templateOf(app, STACK_IDS.management);
});

describe('the stacks of the delegated topology', () => {
  it('puts the enforcer in the delegated administrator account and the management stack in the management account, both in us-east-1', () => {
    const app = buildApp(DELEGATED);

    const environments = app.node.children.flatMap((child) => ('environment' in child ? [[child.node.id, child.environment]] : []));

    expect(Object.fromEntries(environments)).toEqual({
      [STACK_IDS.enforcer]: `aws://${ENFORCER_ACCOUNT}/us-east-1`,
      [STACK_IDS.management]: `aws://${MANAGEMENT_ACCOUNT}/us-east-1`,
    });
  });

  it('adds a Control Tower forwarder in the home Region, straight to the enforcer bus, when that Region is not us-east-1', () => {
    const app = buildApp({ ...DELEGATED, controlTowerHomeRegion: 'eu-west-1' });

    const forwarder = templateOf(app, STACK_IDS.controlTowerForwarder);

    expect(app.node.findChild(STACK_IDS.controlTowerForwarder)).toHaveProperty('environment', `aws://${MANAGEMENT_ACCOUNT}/eu-west-1`);
    forwarder.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ source: ['aws.controltower'], detail: Match.objectLike({ eventName: ['CreateManagedAccount'] }) }),
      Targets: [Match.objectLike({ Arn: ENFORCER_BUS_ARN, DeadLetterConfig: Match.anyValue() })],
    });
  });

  it('in the single topology forwards Control Tower events to the management account\'s us-east-1 default bus', () => {
    const app = buildApp({ controlTowerHomeRegion: 'eu-west-1' });

    const forwarder = templateOf(app, STACK_IDS.controlTowerForwarder);

    forwarder.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ Arn: partitionArn(`:events:us-east-1:${MANAGEMENT_ACCOUNT}:event-bus/default`), DeadLetterConfig: Match.anyValue() })],
    });
  });

  it('adds no forwarder when Control Tower lives in us-east-1', () => {
    const app = buildApp(DELEGATED);

    expect(app.node.tryFindChild(STACK_IDS.controlTowerForwarder)).toBeUndefined();
  });
});

describe('enforcer stack (delegated)', () => {
  it('owns a custom bus that accepts only the enforcer\'s event sources, only from the management account', () => {
    enforcer.hasResourceProperties('AWS::Events::EventBus', { Name: 'alternate-contacts-enforcer' });
    enforcer.hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: {
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Principal: { AWS: partitionArn(`:iam::${MANAGEMENT_ACCOUNT}:root`) },
        Condition: { StringEquals: { 'events:source': ['aws.controltower', 'aws.organizations', 'aws.account'] } },
        Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AccountCreationBus'), 'Arn'] },
      },
    });
  });

  it('listens for the account and contact events on that bus', () => {
    const rules = enforcer.findResources('AWS::Events::Rule', { Properties: { EventBusName: { Ref: Match.stringLikeRegexp('^AccountCreationBus') } } });

    expect(Object.keys(rules)).toHaveLength(5);
  });

  it('sends the management branch to the management account role', () => {
    enforcer.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      DefinitionSubstitutions: Match.objectLike({ ManagementAccountRoleArn: MANAGEMENT_ROLE_ARN }),
    });
  });

  it('names the get-contacts and put-contacts roles as the management role trusts them', () => {
    enforcer.hasResourceProperties('AWS::IAM::Role', { RoleName: 'AlternateContactsEnforcer-GetContacts' });
    enforcer.hasResourceProperties('AWS::IAM::Role', { RoleName: 'AlternateContactsEnforcer-PutContacts' });
  });

  it('lets exactly get-contacts and put-contacts assume the management role, and nothing else', () => {
    const assumers = enforcer.findResources('AWS::IAM::Policy', {
      Properties: { PolicyDocument: { Statement: Match.arrayWith([{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: MANAGEMENT_ROLE_ARN }]) } },
    });

    expect(Object.keys(assumers).map((id) => id.replace(/RoleDefaultPolicy.*$/, ''))).toEqual(['EnforcerGetContacts', 'EnforcerPutContacts']);
  });

  it('addresses member accounts through the management account and its own account in standalone context', () => {
    enforcer.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Action: 'account:PutAlternateContact',
            Resource: [partitionArn(`:account::${MANAGEMENT_ACCOUNT}:account/${ORGANIZATION}/*`), partitionArn(`:account::${ENFORCER_ACCOUNT}:account`)],
            Condition: CONTACT_TYPE_CONDITION,
          },
        ]),
      },
    });
  });

  it('leaves the Organizations setup to the management stack', () => {
    expect(JSON.stringify(enforcer.findResources('Custom::AWS'))).not.toMatch(/enableAWSServiceAccess|registerDelegatedAdministrator/);
  });
});

describe('management stack', () => {
  it.each([
    ['aws.controltower', 'CreateManagedAccount'],
    ['aws.organizations', 'CreateAccountResult'],
  ])('forwards %s %s to the enforcer bus, with a dead-letter queue', (source, eventName) => {
    management.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: Match.absent(),
      EventPattern: Match.objectLike({ source: [source], 'detail-type': ['AWS Service Event via CloudTrail'], detail: Match.objectLike({ eventName: [eventName] }) }),
      Targets: [Match.objectLike({ Arn: ENFORCER_BUS_ARN, DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ForwardingDeadLetterQueue'), 'Arn'] } } })],
    });
  });

  it('alarms as soon as a forwarded event waits in the dead-letter queue', () => {
    management.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    management.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
  });

  it('has a fixed-name role that trusts only the enforcer\'s get-contacts and put-contacts roles', () => {
    management.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'AlternateContactsEnforcer-ManagementAccount',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: { AWS: partitionArn(`:iam::${ENFORCER_ACCOUNT}:root`) },
            Condition: { ArnEquals: { 'aws:PrincipalArn': CALLER_ROLE_ARNS } },
          },
        ],
      },
    });
  });

  it('lets that role get and put only the managed contact types, only of the management account itself', () => {
    management.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^ManagementAccountRole') }],
      PolicyDocument: {
        Statement: [
          { Effect: 'Allow', Action: 'account:GetAlternateContact', Resource: partitionArn(`:account::${MANAGEMENT_ACCOUNT}:account`), Condition: CONTACT_TYPE_CONDITION },
          { Effect: 'Allow', Action: 'account:PutAlternateContact', Resource: partitionArn(`:account::${MANAGEMENT_ACCOUNT}:account`), Condition: CONTACT_TYPE_CONDITION },
        ],
      },
    });
  });

  it('enables trusted access, then registers the enforcer account as delegated administrator, tolerating an existing registration', () => {
    const register = Match.serializedJson(
      Match.objectLike({
        service: 'Organizations',
        action: 'registerDelegatedAdministrator',
        parameters: { AccountId: ENFORCER_ACCOUNT, ServicePrincipal: 'account.amazonaws.com' },
        ignoreErrorCodesMatching: 'AccountAlreadyRegisteredException',
        region: 'us-east-1',
      }),
    );
    management.hasResourceProperties('Custom::AWS', { Create: Match.serializedJson(Match.objectLike({ action: 'enableAWSServiceAccess' })) });
    management.hasResource('Custom::AWS', { Properties: Match.objectLike({ Create: register, Update: register }), DependsOn: Match.arrayWith([Match.stringLikeRegexp('^OrganizationSetupTrustedAccess')]) });
  });
});

describe('deployment order with cdk deploy --all', () => {
  it('deploys the management stack, then the enforcer, then the forwarder', () => {
    const app = buildApp({ ...DELEGATED, controlTowerHomeRegion: 'eu-west-1' });

    const dependencies = (id: string) => (app.node.findChild(id) as Stack).dependencies.map((stack) => stack.node.id);

    expect(dependencies(STACK_IDS.management)).toEqual([]);
    expect(dependencies(STACK_IDS.enforcer)).toEqual([STACK_IDS.management]);
    expect(dependencies(STACK_IDS.controlTowerForwarder)).toEqual([STACK_IDS.enforcer]);
  });
});
