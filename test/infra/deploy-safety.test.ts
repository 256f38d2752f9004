import { readFileSync } from 'node:fs';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '#shared/rules/config';
import { desiredStateHash } from '#shared/rules/config-hash';
import { deployInput } from '../../tasks/shared/events/triggers/deploy.ts';
import { CDK_BOOTSTRAP, SERVICE_PRINCIPALS } from '../../infra/names.ts';
import { buildApp, DELEGATED, exampleConfigWith, flat, resourcesOf, STACK_IDS, templateOf } from './synth.ts';

// What a first real deploy into a large organization depends on, read from the synthesized templates: each check
// below is one way that deploy could fail, or write what nobody asked for.
const README = readFileSync('README.md', 'utf8');
const EXAMPLE_HASH = desiredStateHash(loadConfig('config/alternate-contacts.yaml'));

type Json = Record<string, any>;
let single: Template;
let management: Template;
let enforcer: Template;
let forwarder: Template;
/** Every template of both topologies (with the Control Tower forwarder), by name. */
let templates: [string, Template][];
beforeAll(() => {
  single = templateOf(buildApp(), STACK_IDS.enforcer);
  const delegated = buildApp(DELEGATED);
  management = templateOf(delegated, STACK_IDS.management);
  enforcer = templateOf(delegated, STACK_IDS.enforcer);
  forwarder = templateOf(buildApp({ ...DELEGATED, controlTowerHomeRegion: 'eu-west-1' }), STACK_IDS.controlTowerForwarder);
  templates = [
    ['single', single],
    ['delegated enforcer', enforcer],
    ['delegated management', management],
    ['Control Tower forwarder', forwarder],
  ];
});

const customResources = (template: Template) => Object.entries(resourcesOf(template, 'Custom::AWS')) as [string, Json][];
/** A custom resource's call, parsed from its serialized `Create` (or `Update`). */
const sdkCallOf = (resource: Json, phase = 'Create'): Json => JSON.parse(flat(resource.Properties?.[phase])) as Json;
const stackSetActivations = (template: Template) => customResources(template).filter(([, r]) => sdkCallOf(r).action === 'activateOrganizationsAccess');
const statementsOf = (template: Template): Json[] =>
  Object.values(resourcesOf(template, 'AWS::IAM::Policy')).flatMap((policy) => (policy.Properties?.['PolicyDocument'] as Json).Statement as Json[]);
const actionsOf = (statement: Json): string[] => [statement.Action].flat();

describe('CloudFormation StackSets\' trusted access, which the service-managed forwarding StackSet needs', () => {
  it.each([
    ['single', () => single],
    ['delegated (management stack)', () => management],
  ])('is activated through us-east-1 on create and update, and the StackSet waits for it (%s)', (_topology, template) => {
    const [[id, activation]] = stackSetActivations(template()) as [[string, Json]];

    expect(sdkCallOf(activation)).toMatchObject({ service: 'CloudFormation', action: 'activateOrganizationsAccess', region: 'us-east-1' });
    expect(sdkCallOf(activation, 'Update')).toMatchObject({ action: 'activateOrganizationsAccess' });
    const [stackSet] = Object.values(template().findResources('AWS::CloudFormation::StackSet', { Properties: { PermissionModel: 'SERVICE_MANAGED' } })) as Json[];
    expect(stackSet!.DependsOn).toContain(id);
  });

  it('grants the activation only what it does: the action, the StackSets principal\'s trusted access, and its service-linked role', () => {
    const statements = statementsOf(single).filter((s) => JSON.stringify(s).includes('ActivateOrganizationsAccess') || JSON.stringify(s).includes('stacksets'));

    expect(statements).toEqual([
      { Effect: 'Allow', Action: ['cloudformation:ActivateOrganizationsAccess', 'organizations:DescribeOrganization', 'organizations:ListAWSServiceAccessForOrganization'], Resource: '*' },
      { Effect: 'Allow', Action: 'organizations:EnableAWSServiceAccess', Resource: '*', Condition: { StringEquals: { 'organizations:ServicePrincipal': SERVICE_PRINCIPALS.stackSets } } },
      {
        Effect: 'Allow',
        Action: 'iam:CreateServiceLinkedRole',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:role/aws-service-role/stacksets.cloudformation.amazonaws.com/AWSServiceRoleForCloudFormationStackSetsOrgAdmin']] },
        Condition: { StringEquals: { 'iam:AWSServiceName': 'stacksets.cloudformation.amazonaws.com' } },
      },
    ]);
  });

  it('is not activated without the StackSet (triggers.contactChanged off), nor when the setup is left to the operator', () => {
    const noForwarding = templateOf(buildApp({ config: exampleConfigWith((c) => void (c.triggers = { ...c.triggers, contactChanged: false })) }), STACK_IDS.enforcer);
    const byHand = templateOf(buildApp({ config: exampleConfigWith((c) => void (c.deployment = { ...c.deployment!, setupTrustedAccess: false })) }), STACK_IDS.enforcer);

    expect(stackSetActivations(noForwarding)).toEqual([]);
    expect(stackSetActivations(byHand)).toEqual([]);
    byHand.resourceCountIs('AWS::CloudFormation::StackSet', 1);
  });

  it('is named in the README with the command that activates it by hand', () => {
    expect(README).toContain('aws cloudformation activate-organizations-access');
    expect(README).toContain(SERVICE_PRINCIPALS.stackSets);
  });
});

describe('the setup custom resources\' Organizations actions', () => {
  it('are each limited to the service principal they act for (organizations:ServicePrincipal), in every template', () => {
    const principalOf: Record<string, string[]> = {};
    for (const [, template] of templates) {
      for (const statement of statementsOf(template)) {
        for (const action of actionsOf(statement).filter((a) => /^organizations:(EnableAWSServiceAccess|RegisterDelegatedAdministrator|DisableAWSServiceAccess|DeregisterDelegatedAdministrator)$/.test(a))) {
          expect(statement.Condition?.StringEquals?.['organizations:ServicePrincipal'], action).toBeDefined();
          (principalOf[action] ??= []).push(statement.Condition.StringEquals['organizations:ServicePrincipal']);
        }
      }
    }

    expect(principalOf).toEqual({
      'organizations:EnableAWSServiceAccess': [SERVICE_PRINCIPALS.account, SERVICE_PRINCIPALS.stackSets, SERVICE_PRINCIPALS.account, SERVICE_PRINCIPALS.stackSets],
      'organizations:RegisterDelegatedAdministrator': [SERVICE_PRINCIPALS.account],
    });
  });
});

describe('the single topology\'s deploy-time run', () => {
  it('waits for trusted access for account.amazonaws.com', () => {
    const [trustedAccessId] = customResources(single).find(([, r]) => sdkCallOf(r).action === 'enableAWSServiceAccess')!;
    const [, run] = customResources(single).find(([, r]) => sdkCallOf(r).action === 'startExecution')!;

    expect(run.DependsOn).toContain(trustedAccessId);
  });

  it('starts, when CloudFormation creates it, exactly the first-deploy input, and on update a later deploy\'s', () => {
    const [, run] = customResources(single).find(([, r]) => sdkCallOf(r).action === 'startExecution')!;
    const inputOf = (phase: string) => JSON.parse(sdkCallOf(run, phase).parameters.input as string);

    expect(inputOf('Create')).toEqual(deployInput(EXAMPLE_HASH, { firstDeploy: true }));
    expect(inputOf('Update')).toEqual(deployInput(EXAMPLE_HASH));
  });

  it('prints, as the deploy output, that the first run is an audit and the command that enforces after it', () => {
    const outputs = single.findOutputs('*');

    expect(outputs.FirstAuditRun!.Description).toMatch(/^The first deploy of this stack started an audit of every account, which writes nothing/);
    expect(outputs.EnforceAfterReview!.Description).toMatch(/^Once the audit report shows what you expect/);
    expect(JSON.stringify(outputs.EnforceAfterReview!.Value)).toContain(`--input '{}'`);
  });

  it('in mode audit, says that only mode: enforce and a deploy make runs write', () => {
    const audit = templateOf(buildApp({ config: exampleConfigWith((c) => void (c.mode = 'audit')) }), STACK_IDS.enforcer);

    expect(audit.findOutputs('EnforceAfterReview').EnforceAfterReview).toMatchObject({ Value: 'mode: enforce, then npx cdk deploy' });
  });
});

describe('EventBridge target roles', () => {
  /** Each rule target's role, with the ARN of the rule that uses it. */
  function targetRoles(template: Template, region: string, account: string): { rule: string; role: string }[] {
    return Object.values(resourcesOf(template, 'AWS::Events::Rule')).flatMap((rule) => {
      const props = rule.Properties as Json;
      const bus = props.EventBusName ? `${flat(props.EventBusName)}/` : '';
      return (props.Targets as Json[]).filter((t) => t.RoleArn).map((t) => ({ rule: `arn:<AWS::Partition>:events:${region}:${account}:rule/${bus}${props.Name}`, role: t.RoleArn['Fn::GetAtt'][0] as string }));
    });
  }

  it.each([
    ['single', () => single, 'us-east-1', '111111111111'],
    ['delegated enforcer', () => enforcer, 'us-east-1', '333333333333'],
    ['delegated management', () => management, 'us-east-1', '111111111111'],
    ['Control Tower forwarder', () => forwarder, 'eu-west-1', '111111111111'],
  ])('trust events.amazonaws.com only for this account\'s rules that use them, by ARN (%s)', (_name, template, region, account) => {
    const uses = targetRoles(template(), region, account);
    const roles = resourcesOf(template(), 'AWS::IAM::Role');

    expect(uses.length).toBeGreaterThan(0);
    for (const { rule, role } of uses) {
      const [trust] = (roles[role]!.Properties!['AssumeRolePolicyDocument'] as Json).Statement as Json[];
      expect(trust!.Principal).toEqual({ Service: 'events.amazonaws.com' });
      expect(trust!.Condition.StringEquals).toEqual({ 'aws:SourceAccount': account });
      expect([trust!.Condition.ArnEquals['aws:SourceArn']].flat().map(flat), role).toContain(rule);
    }
    // No role trusts EventBridge without both conditions, whether a rule uses it or not.
    for (const [id, role] of Object.entries(roles)) {
      const trust = JSON.stringify(role.Properties!['AssumeRolePolicyDocument']);
      if (trust.includes('events.amazonaws.com')) expect(trust, id).toMatch(/aws:SourceAccount.*aws:SourceArn|aws:SourceArn.*aws:SourceAccount/);
    }
  });
});

describe('the custom resources\' provider', () => {
  it.each([
    ['single', () => single],
    ['delegated enforcer', () => enforcer],
    ['delegated management', () => management],
  ])('logs to a log group of the stack with a retention, deleted with the stack (%s)', (_name, template) => {
    const providers = Object.values(template().findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler', Runtime: Match.anyValue() } })).filter((fn) =>
      JSON.stringify(fn).includes('AWS679f53fac002430cb0da5b7982bd2287'),
    ) as Json[];
    const logGroupId = providers[0]?.Properties.LoggingConfig?.LogGroup?.Ref as string;
    const logGroup = resourcesOf(template(), 'AWS::Logs::LogGroup')[logGroupId] as Json;

    expect(providers).toHaveLength(1);
    expect(logGroup).toMatchObject({ Properties: { RetentionInDays: 90 }, DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });
});

describe('the Slack secret the stack creates', () => {
  it('is deleted with the stack, and the README says so: at once, with no recovery window', () => {
    single.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Delete' });
    expect(README).toMatch(/The Slack secret the stack created is deleted at once, with no recovery window/);
    expect(README).not.toMatch(/Slack secret is deleted, with Secrets Manager's recovery window/);
  });
});

describe('the contact-change forwarding StackSet at scale', () => {
  const stackSetOf = (template: Template) => Object.values(resourcesOf(template, 'AWS::CloudFormation::StackSet'))[0]!.Properties as Json;

  it('never rolls the stack back because some members refuse the instance: every failure is tolerated, and listed', () => {
    expect(stackSetOf(single).OperationPreferences).toEqual({
      FailureTolerancePercentage: 100,
      MaxConcurrentPercentage: 25,
      ConcurrencyMode: 'SOFT_FAILURE_TOLERANCE',
      RegionConcurrencyType: 'PARALLEL',
    });
    expect(README).toContain('--filters Name=DETAILED_STATUS,Values=FAILED');
  });

  it('documents the way out of a DELETE_FAILED stack whose instances sit in suspended or closed accounts', () => {
    expect(README).toContain('delete-stack-instances --stack-set-name AlternateContactsEnforcer-ContactChangeForwarding');
    expect(README).toContain('--retain-stacks');
    expect(README).toMatch(/aws cloudformation delete-stack --stack-name AlternateContactsEnforcer\S* --retain-resources/);
  });

  describe('each member\'s forwarding rule', () => {
    let member: Json;
    beforeAll(() => {
      member = JSON.parse(flat(stackSetOf(management).TemplateBody)) as Json;
    });

    it('sends what EventBridge could not deliver within its 24 hours of retries to an encrypted dead-letter queue', () => {
      const { ContactChangedRule: rule, DeadLetterQueue: queue } = member.Resources;

      expect(rule.Properties.Targets).toEqual([expect.objectContaining({ DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] } } })]);
      // An event bus target takes no RetryPolicy: EventBridge's own 24 hours and 185 attempts apply.
      expect(rule.Properties.Targets[0].RetryPolicy).toBeUndefined();
      expect(queue).toEqual({ Type: 'AWS::SQS::Queue', Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1_209_600 } });
    });

    it('lets only that rule write to the queue, over TLS only, and alarms on the first message', () => {
      const { DeadLetterQueuePolicy: policy, DeadLetterAlarm: alarm } = member.Resources;
      const [allow, deny] = policy.Properties.PolicyDocument.Statement;
      const ruleArn = { 'Fn::Sub': 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/AlternateContactsEnforcer-ForwardContactChanged' };

      expect(allow).toMatchObject({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } } });
      expect(deny).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
      expect(alarm.Properties).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    });

    it('puts events through a role that trusts only that rule of that account', () => {
      const [trust] = member.Resources.ForwardingRole.Properties.AssumeRolePolicyDocument.Statement;

      expect(member.Resources.ContactChangedRule.Properties.Name).toBe('AlternateContactsEnforcer-ForwardContactChanged');
      expect(trust.Condition).toEqual({
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnEquals: { 'aws:SourceArn': { 'Fn::Sub': 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/AlternateContactsEnforcer-ForwardContactChanged' } },
      });
    });
  });
});

describe('the CDK bootstrap the templates need', () => {
  it('is the version preflight checks for, in every template', () => {
    for (const [name, template] of templates) {
      const json = template.toJSON() as Json;
      expect(json.Parameters.BootstrapVersion.Default, name).toBe(CDK_BOOTSTRAP.versionParameter);
      const refused = json.Rules.CheckBootstrapVersion.Assertions[0].Assert['Fn::Not'][0]['Fn::Contains'][0] as string[];
      expect(Math.max(...refused.map(Number)) + 1, name).toBe(CDK_BOOTSTRAP.minimumVersion);
    }
  });
});
