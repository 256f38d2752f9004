import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '#shared/rules/config';
import { desiredStateHash } from '#shared/rules/config-hash';
import { triggerRules } from '../../infra/constructs/trigger-rules.ts';
import { buildApp, DELEGATED, ENFORCER_ACCOUNT, exampleConfigWith, flat, MANAGEMENT_ACCOUNT, ORGANIZATION, resourcesOf, STACK_IDS, templateOf } from './synth.ts';

const partitionArn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });
const API_CALL = 'AWS API Call via CloudTrail';
const EXAMPLE_HASH = desiredStateHash(loadConfig('config/alternate-contacts.yaml'));

let single: Template;
let enforcer: Template;
let management: Template;
beforeAll(() => {
  single = templateOf(buildApp(), STACK_IDS.enforcer);
  const delegated = buildApp(DELEGATED);
  enforcer = templateOf(delegated, STACK_IDS.enforcer);
  management = templateOf(delegated, STACK_IDS.management);
});

/** The one rule whose pattern names this event. */
const ruleFor = (template: Template, eventName: string) => {
  const rules = Object.values(resourcesOf(template, 'AWS::Events::Rule')).filter((rule) => JSON.stringify(rule.Properties?.['EventPattern']).includes(`"${eventName}"`));
  expect(rules, eventName).toHaveLength(1);
  return rules[0]!.Properties!;
};

describe('rules for joined and moved accounts and hand contact edits', () => {
  it('reconciles an account that joined, by invitation or creation', () => {
    expect(ruleFor(single, 'AccountJoinedOrganization')['EventPattern']).toEqual({
      source: ['aws.organizations'],
      'detail-type': ['AWS Service Event via CloudTrail'],
      detail: { eventName: ['AccountJoinedOrganization'] },
    });
  });

  it('reconciles a moved account, only when the call succeeded', () => {
    expect(ruleFor(single, 'MoveAccount')['EventPattern']).toEqual({
      source: ['aws.organizations'],
      'detail-type': [API_CALL],
      detail: { eventName: ['MoveAccount'], errorCode: [{ exists: false }] },
    });
  });

  it('reconciles a contact changed by anyone but the put task\'s role, caught with anything-but (single topology)', () => {
    const pattern = ruleFor(single, 'PutAlternateContact')['EventPattern'] as Record<string, any>;

    expect(pattern).toMatchObject({ source: ['aws.account'], 'detail-type': [API_CALL], detail: { eventName: ['PutAlternateContact', 'DeleteAlternateContact'], errorCode: [{ exists: false }] } });
    expect(pattern.detail.$or).toEqual([
      { userIdentity: { sessionContext: { sessionIssuer: { arn: [{ 'anything-but': [{ 'Fn::GetAtt': [expect.stringMatching(/^EnforcerPutContactsRole/), 'Arn'] }] }] } } } },
      { userIdentity: { type: [{ 'anything-but': ['AssumedRole'] }] } },
    ]);
  });

  it('tells resolve-targets the same writer roles, so an event that slips through still starts nothing', () => {
    single.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ ENFORCER_WRITER_ARNS: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EnforcerPutContactsRole'), 'Arn'] } }) },
    });
  });

  it('leaves out the put role and the management role in the delegated topology, on the enforcer bus and when forwarding', () => {
    const managementRole = partitionArn(`:iam::${MANAGEMENT_ACCOUNT}:role/AlternateContactsEnforcer-ManagementAccount`);
    const putRole = partitionArn(`:iam::${ENFORCER_ACCOUNT}:role/AlternateContactsEnforcer-PutContacts`);
    const excluded = (template: Template) => (ruleFor(template, 'PutAlternateContact')['EventPattern'] as any).detail.$or[0].userIdentity.sessionContext.sessionIssuer.arn[0]['anything-but'];

    expect(excluded(enforcer)).toEqual([expect.anything(), managementRole]);
    expect(excluded(management)).toEqual([managementRole, putRole]);
    for (const eventName of ['AccountJoinedOrganization', 'MoveAccount', 'PutAlternateContact']) {
      expect(ruleFor(management, eventName)['Targets']).toEqual([
        expect.objectContaining({ Arn: partitionArn(`:events:us-east-1:${ENFORCER_ACCOUNT}:event-bus/alternate-contacts-enforcer`) }),
      ]);
    }
  });
});

describe('member-account forwarding', () => {
  const stackSetOf = (template: Template) => Object.values(resourcesOf(template, 'AWS::CloudFormation::StackSet'))[0]!.Properties as Record<string, any>;

  it.each([
    ['single', () => single],
    ['delegated (management stack)', () => management],
  ])('deploys a service-managed, auto-deployed StackSet to every member account in us-east-1 (%s)', (_topology, template) => {
    const stackSet = stackSetOf(template());

    expect(stackSet).toMatchObject({
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      Capabilities: ['CAPABILITY_IAM'],
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: [{ 'Fn::GetAtt': [expect.stringMatching(/OrganizationRoot/), 'Roots.0.Id'] }] }, Regions: ['us-east-1'] }],
    });
  });

  it('targets the OUs the configuration names instead of the root', () => {
    const config = exampleConfigWith((c) => void (c.triggers = { ...c.triggers, contactChangedOrganizationalUnitIds: ['ou-ab12-cd34ef56'] }));

    const stackSet = stackSetOf(templateOf(buildApp({ config }), STACK_IDS.enforcer));

    expect(stackSet.StackInstancesGroup).toEqual([{ DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-cd34ef56'] }, Regions: ['us-east-1'] }]);
  });

  it('puts in each member a rule for contact changes and a role that may only put events on the enforcer bus', () => {
    const body = JSON.stringify(stackSetOf(management).TemplateBody);

    expect(body).toContain('PutAlternateContact');
    expect(body).toContain('anything-but');
    expect(body).toContain('events:PutEvents');
    expect(body).toContain(`:events:us-east-1:${ENFORCER_ACCOUNT}:event-bus/alternate-contacts-enforcer`);
    expect(body).not.toMatch(/"Action":"events:\*"|"Resource":"\*"/);
    expect(enforcer.findResources('AWS::CloudFormation::StackSet')).toEqual({});
  });

  it.each([
    ['single (the default bus)', () => single],
    ['delegated (the enforcer bus)', () => enforcer],
  ])('admits contact events from the organization only, through aws:PrincipalOrgID: %s', (_topology, template) => {
    template().hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: Match.objectLike({
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Principal: { AWS: '*' },
        Condition: { StringEquals: { 'aws:PrincipalOrgID': ORGANIZATION, 'events:source': ['aws.account'] } },
      }),
    });
  });
});

describe('the deploy-time run', () => {
  const deployRuns = (template: Template) =>
    Object.values(resourcesOf(template, 'Custom::AWS')).filter((resource) => JSON.stringify(resource.Properties).includes('startExecution'));
  const hashOf = (template: Template) => /deploy-run-([0-9a-f]{64})/.exec(JSON.stringify(deployRuns(template)))?.[1];

  it('starts one whole-organization execution, keyed by the desired contacts\' hash', () => {
    const [run] = deployRuns(single);
    const create = JSON.stringify(run!.Properties!['Create']);

    expect(deployRuns(single)).toHaveLength(1);
    expect(hashOf(single)).toBe(EXAMPLE_HASH);
    expect(create).toContain(EXAMPLE_HASH);
    expect(create).toContain('alternate-contacts-enforcer.deploy');
    expect(create).not.toContain('dryRun');
  });

  it('may only start executions of the enforcer\'s state machine', () => {
    single.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'states:StartExecution', Effect: 'Allow', Resource: { Ref: Match.stringLikeRegexp('^EnforcerStateMachine') } }], Version: '2012-10-17' },
    });
  });

  it('changes its key when the desired contacts change, and keeps it when only notifications change', () => {
    const changed = templateOf(buildApp({ config: exampleConfigWith((c) => void (c.contacts.SECURITY!.email = 'soc@example.com')) }), STACK_IDS.enforcer);
    const quieter = templateOf(buildApp({ config: exampleConfigWith((c) => void (c.notifications = { ...c.notifications, quietWhenUnchanged: false })) }), STACK_IDS.enforcer);

    expect(hashOf(changed)).not.toBe(EXAMPLE_HASH);
    expect(hashOf(quieter)).toBe(EXAMPLE_HASH);
  });

  it('is left out, with the member forwarding, when the configuration switches them off', () => {
    const off = templateOf(buildApp({ config: exampleConfigWith((c) => void (c.triggers = { ...c.triggers, deploy: false, contactChanged: false })) }), STACK_IDS.enforcer);

    expect(deployRuns(off)).toEqual([]);
    off.resourceCountIs('AWS::CloudFormation::StackSet', 0);
    off.resourceCountIs('AWS::Events::EventBusPolicy', 0);
  });
});

describe('triggerRules: every switched-on trigger\'s rule from one call', () => {
  /** The rules triggerRules builds in a bare stack, by role: each role's logical id, and the names of the rules it trusts. */
  const rulesByRole = (configFile: string) => {
    const stack = new Stack(new App(), 'Bare', { env: { account: MANAGEMENT_ACCOUNT, region: 'us-east-1' } });
    const stateMachine = StateMachine.fromStateMachineArn(stack, 'Machine', `arn:aws:states:us-east-1:${MANAGEMENT_ACCOUNT}:stateMachine:enforcer`);
    triggerRules(stack, { config: loadConfig(configFile), writerRoleArns: [`arn:aws:iam::${MANAGEMENT_ACCOUNT}:role/Writer`], target: (role) => new SfnStateMachine(stateMachine, { role }) });
    const template = Template.fromStack(stack);
    return Object.fromEntries(
      Object.entries(resourcesOf(template, 'AWS::IAM::Role')).map(([id, role]) => [
        id.replace(/[0-9A-F]{8}$/, ''),
        (flat((role.Properties as any).AssumeRolePolicyDocument.Statement[0].Condition.ArnEquals['aws:SourceArn']) as string).match(/AlternateContactsEnforcer-\w+/g),
      ]),
    );
  };
  const named = (...ids: string[]) => ids.map((id) => `AlternateContactsEnforcer-${id}`);

  it('builds each rule under the role, construct id and name the enforcer stack deploys it with', () => {
    expect(rulesByRole('config/alternate-contacts.yaml')).toEqual({
      AccountCreationRulesRole: named('ControlTower', 'Organizations'),
      ChangeRulesRole: named('AccountJoined', 'AccountMoved', 'ContactChanged'),
    });
    const deployed = Object.values(resourcesOf(single, 'AWS::Events::Rule')).map((rule) => rule.Properties!['Name']);
    expect(deployed).toEqual(expect.arrayContaining(named('ControlTower', 'Organizations', 'AccountJoined', 'AccountMoved', 'ContactChanged')));
  });

  it('adds the tag-change rule only for a configuration that uses tags, and leaves out a switched-off trigger', () => {
    const config = exampleConfigWith((c) => {
      c.exclusions = { ...c.exclusions, tags: ['alternate-contacts=unmanaged'] };
      c.triggers = { ...c.triggers, contactChanged: false };
    });

    expect(rulesByRole(config)).toEqual({
      AccountCreationRulesRole: named('ControlTower', 'Organizations', 'OrganizationsTagChange'),
      ChangeRulesRole: named('AccountJoined', 'AccountMoved'),
    });
  });
});
