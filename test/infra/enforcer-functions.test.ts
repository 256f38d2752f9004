import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ENV } from '#shared/aws/env';
import { TASKS, type TaskName } from '../../infra/tasks.ts';
import { actionsOf, CONTACT_TYPE_CONDITION, constructPrefix, enforcerTemplate, environmentOf, functionId, partitionArn, statementsOf } from './enforcer-template.ts';
import { buildApp, exampleConfigWith, MANAGEMENT_ACCOUNT, ORGANIZATION, resourcesOf, STACK_IDS, templateOf } from './synth.ts';

const template = enforcerTemplate();

describe('least privilege', () => {
  it.each([
    ['get-contacts', 'read', 'account:GetAlternateContact'],
    ['put-contacts', 'write', 'account:PutAlternateContact'],
  ] as const)('lets %s %s only the managed contact types, of member accounts and of its own account', (task, _access, action) => {
    expect(statementsOf(task)).toContainEqual({
      Effect: 'Allow',
      Action: action,
      Resource: [partitionArn(`:account::${MANAGEMENT_ACCOUNT}:account/${ORGANIZATION}/*`), partitionArn(`:account::${MANAGEMENT_ACCOUNT}:account`)],
      Condition: CONTACT_TYPE_CONDITION,
    });
  });

  it('limits the contact types to those the configuration manages', () => {
    const config = exampleConfigWith((c) => {
      c.contacts = { SECURITY: c.contacts.SECURITY };
      c.overrides = {};
    });

    const securityOnly = templateOf(buildApp({ config }), STACK_IDS.enforcer);

    securityOnly.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'account:PutAlternateContact', Condition: Match.objectLike({ 'ForAllValues:StringEquals': { 'account:AlternateContactTypes': ['SECURITY'] } }) }),
        ]),
      },
    });
  });

  it('gives the Account API only to get-contacts and put-contacts', () => {
    const holders = TASKS.filter((task) => statementsOf(task).some((statement) => actionsOf(statement).some((action) => action.startsWith('account:'))));

    expect(holders).toEqual(['get-contacts', 'put-contacts']);
  });

  it('lets no function assume a role in the single topology', () => {
    const assumers = TASKS.filter((task) => statementsOf(task).some((statement) => actionsOf(statement).includes('sts:AssumeRole')));

    expect(assumers).toEqual([]);
  });

  it('lets list-accounts read this organization only: its root, OU and account ARNs wherever IAM takes a resource', () => {
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsorganizations.html
    const organizationArn = (kind: string) => partitionArn(`:organizations::${MANAGEMENT_ACCOUNT}:${kind}/${ORGANIZATION}/*`);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^EnforcerListAccountsRole') }],
      PolicyDocument: {
        Statement: [
          { Effect: 'Allow', Action: ['organizations:DescribeOrganization', 'organizations:ListRoots'], Resource: '*' },
          { Effect: 'Allow', Action: 'organizations:DescribeAccount', Resource: organizationArn('account') },
          {
            Effect: 'Allow',
            Action: ['organizations:ListOrganizationalUnitsForParent', 'organizations:ListAccountsForParent'],
            Resource: [organizationArn('root'), organizationArn('ou')],
          },
          { Effect: 'Allow', Action: 'organizations:ListParents', Resource: [organizationArn('account'), organizationArn('ou')] },
          { Effect: 'Allow', Action: 'organizations:DescribeOrganizationalUnit', Resource: organizationArn('ou') },
        ],
      },
    });
  });

  it('lets resolve-targets look up a new account\'s parent, and nothing else of the organization', () => {
    const organizationsActions = statementsOf('resolve-targets').flatMap(actionsOf).filter((action) => action.startsWith('organizations:'));

    expect(organizationsActions).toEqual(['organizations:ListParents']);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^EnforcerResolveTargetsRole') }],
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'organizations:ListParents',
            Resource: [`account`, `ou`].map((kind) => partitionArn(`:organizations::${MANAGEMENT_ACCOUNT}:${kind}/${ORGANIZATION}/*`)),
          },
        ],
      },
    });
  });

  it('lets list-accounts alone describe OUs, and only OUs: the names of the OUs it finds walking up with ListParents', () => {
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsorganizations.html
    const describeOu = statementsOf('list-accounts').filter((statement) => actionsOf(statement).includes('organizations:DescribeOrganizationalUnit'));

    expect(describeOu).toEqual([
      { Effect: 'Allow', Action: 'organizations:DescribeOrganizationalUnit', Resource: partitionArn(`:organizations::${MANAGEMENT_ACCOUNT}:ou/${ORGANIZATION}/*`) },
    ]);
    const describers = TASKS.filter((task) => statementsOf(task).some((statement) => actionsOf(statement).includes('organizations:DescribeOrganizationalUnit')));
    expect(describers).toEqual(['list-accounts']);
  });

  it('gives the Slack secret to the report function alone', () => {
    const readers = TASKS.filter((task) => statementsOf(task).some((statement) => actionsOf(statement).includes('secretsmanager:GetSecretValue')));

    expect(readers).toEqual(['report']);
  });

  it('gives the report topic to the report function alone', () => {
    const publishers = TASKS.filter((task) => statementsOf(task).some((statement) => actionsOf(statement).includes('sns:Publish')));

    expect(publishers).toEqual(['report']);
  });

  it('gives each table only to the functions whose code uses it', () => {
    const holders = (variable: string) => TASKS.filter((task) => variable in environmentOf(task));

    expect(holders(ENV.RUN_TABLE)).toEqual(['list-accounts', 'load-chunk', 'record-result', 'report']);
    expect(holders(ENV.IDEMPOTENCY_TABLE)).toEqual(['resolve-targets', 'report', 'release-claim']);
  });

  it('lets load-chunk only read the run table', () => {
    const dynamodbActions = statementsOf('load-chunk').flatMap(actionsOf).filter((action) => action.startsWith('dynamodb:'));

    expect(dynamodbActions.length).toBeGreaterThan(0);
    expect(dynamodbActions.filter((action) => /Put|Update|Delete|Write/.test(action))).toEqual([]);
  });
});

describe('functions', () => {
  it('run Node.js 24 on ARM with active tracing, source maps and the bundled configuration', () => {
    for (const task of TASKS) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp(`^${constructPrefix(task)}Logs`) } },
        Environment: {
          Variables: Match.objectLike({
            POWERTOOLS_SERVICE_NAME: 'alternate-contacts-enforcer',
            NODE_OPTIONS: '--enable-source-maps',
            [ENV.CONFIG_FILE]: '/var/task/enforcer-config.json',
            [ENV.ENFORCER_ACCOUNT_ID]: MANAGEMENT_ACCOUNT,
          }),
        },
      });
    }
  });

  it('give the organization-wide tasks time for 10,000 accounts', () => {
    const timeoutOf = (task: TaskName) => (template.findResources('AWS::Lambda::Function')[functionId(task)] as { Properties: { Timeout: number } }).Properties.Timeout;

    expect(timeoutOf('list-accounts')).toBe(900);
    expect(timeoutOf('report')).toBe(300);
    expect(timeoutOf('get-contacts')).toBe(60);
  });

  it('keep their logs for a bounded time', () => {
    const logGroups = Object.values(resourcesOf(template, 'AWS::Logs::LogGroup'));

    // One per task, the state machine's, and the deploy-time custom resources' provider's.
    expect(logGroups.length).toBe(TASKS.length + 2);
    for (const logGroup of logGroups) expect(logGroup.Properties?.RetentionInDays).toBe(90);
  });

  it.each(TASKS)('%s gets every environment variable its code requires at load', async (task) => {
    const { metafile } = await build({ entryPoints: [`tasks/${task}.ts`], bundle: true, write: false, metafile: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'silent' });
    const required = Object.keys(metafile.inputs)
      .flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/requiredEnv\(ENV\.(\w+)\)/g)])
      .map((match) => ENV[match[1] as keyof typeof ENV]);

    expect(Object.keys(environmentOf(task))).toEqual(expect.arrayContaining(required));
  });
});
