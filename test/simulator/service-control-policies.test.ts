import { describe, expect, it } from 'vitest';
import { evaluateScps, principalArnOf, type RequestContext } from '../../simulator/service-control-policies.ts';
import type { SimState } from '../../simulator/index.ts';

const MANAGEMENT = '111111111111';
const MEMBER = '222222222222';
const OU = 'ou-ab12-cd34ef56';
const PUT = 'account:PutAlternateContact';
const OWN = `arn:aws:account::${MEMBER}:account`;

function organization(statement: Record<string, unknown>, targets = [OU]): SimState {
  return {
    organizationId: 'o-a1b2c3d4e5',
    managementAccountId: MANAGEMENT,
    roots: [{ id: 'r-ab12', name: 'Root' }],
    organizationalUnits: [{ id: OU, name: 'Workloads', parentId: 'r-ab12' }],
    accounts: [MANAGEMENT, MEMBER].map((id) => ({ id, name: id, email: `${id}@example.com`, status: 'ACTIVE', parentId: id === MEMBER ? OU : 'r-ab12', joinedAt: '2024-01-01T00:00:00.000Z', joinedMethod: 'CREATED', contacts: {} })),
    delegatedAdministrators: [],
    trustedAccess: true,
    policies: [{ id: 'p-guard00001', name: 'Guard', description: '', awsManaged: false, content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: ['account:PutAlternateContact'], Resource: '*', ...statement }] }), targets }],
    roles: {},
    secrets: {},
    outages: { sns: false, slack: false },
    published: [],
    slackPosts: [],
  };
}
const request = (principal: string, types: string[] | null = ['SECURITY']): RequestContext =>
  new Map([['aws:principalarn', [principal]], ...(types ? [['account:alternatecontacttypes', types] as [string, string[]]] : [])]);
const ROLE = `arn:aws:iam::${MEMBER}:role/Admin`;
const denies = (state: SimState, context: RequestContext, caller = MEMBER, resource = OWN) =>
  verdict(state, context, caller, resource).decision !== 'allow';
const verdict = (state: SimState, context: RequestContext, caller = MEMBER, resource = OWN) => evaluateScps(state, state.accounts.find((account) => account.id === caller)!, PUT, resource, context);

/** AWS's FullAWSAccess, attached to `targets` (AWS attaches it to the root, every OU and every account). */
const fullAwsAccess = (targets: string[]) => ({
  id: 'p-FullAWSAccess',
  name: 'FullAWSAccess',
  description: '',
  awsManaged: true,
  content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
  targets,
});
/** The organization with its Deny SCP replaced by `policies`, e.g. FullAWSAccess and an allow-list. */
function withPolicies(...policies: NonNullable<SimState['policies']>): SimState {
  return { ...organization({}), policies };
}
const allowList = (id: string, actions: string[], targets: string[]) => ({
  id,
  name: id,
  description: '',
  awsManaged: false,
  content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] }),
  targets,
});

describe("the simulator's SCP evaluation", () => {
  it.each([
    ['ArnNotLike with the caller listed', { Condition: { ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/Admin'] } } }, false],
    ['ArnNotLike with another principal listed', { Condition: { ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/BreakGlass'] } } }, true],
    ['ArnLike: a wildcard never spans a colon', { Condition: { ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam:*:role/Admin'] } } }, false],
    ['StringLike on the principal', { Condition: { StringLike: { 'aws:PrincipalArn': ['*:role/Adm?n'] } } }, true],
    ['ForAnyValue:StringEquals with the requested type', { Condition: { 'ForAnyValue:StringEquals': { 'account:AlternateContactTypes': ['SECURITY', 'BILLING'] } } }, true],
    ['ForAnyValue:StringEquals with other types only', { Condition: { 'ForAnyValue:StringEquals': { 'account:AlternateContactTypes': ['BILLING'] } } }, false],
    ['both conditions, both met', { Condition: { 'ForAnyValue:StringEquals': { 'account:AlternateContactTypes': ['SECURITY'] }, ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Other' } } }, true],
    ['a Resource for standalone calls only', { Resource: 'arn:aws:account::*:account' }, true],
    ['a Resource for organization-context calls only', { Resource: 'arn:aws:account::*:account/o-*/*' }, false],
    ['a NotAction that leaves Put out', { Action: undefined, NotAction: ['account:Put*'] }, false],
  ])('%s: denied %s', (_case, statement, expected) => {
    expect(denies(organization(statement), request(ROLE))).toBe(expected);
  });

  it.each([
    ['a positive operator', 'StringEquals', false],
    ['a negated operator', 'StringNotEquals', true],
    ['IfExists', 'StringEqualsIfExists', true],
    ['ForAllValues (the empty set)', 'ForAllValues:StringEquals', true],
    ['ForAnyValue', 'ForAnyValue:StringEquals', false],
  ])('a key the request lacks, under %s: the condition holds %s', (_case, operator, expected) => {
    const state = organization({ Condition: { [operator]: { 'account:AlternateContactTypes': ['SECURITY'] } } });

    expect(denies(state, request(ROLE, null))).toBe(expected);
  });

  it('Null tests whether the key is present', () => {
    const state = organization({ Condition: { Null: { 'account:AlternateContactTypes': 'true' } } });

    expect(denies(state, request(ROLE, null))).toBe(true);
    expect(denies(state, request(ROLE))).toBe(false);
  });

  it("binds the caller's account by its path (an SCP on the root binds it too), never the management account", () => {
    const state = organization({}, ['r-ab12']);

    expect(denies(state, request(ROLE))).toBe(true);
    expect(denies(state, request(`arn:aws:iam::${MANAGEMENT}:role/Admin`), MANAGEMENT, `arn:aws:account::${MANAGEMENT}:account`)).toBe(false);
  });

  it('applies nothing while the SCP policy type is disabled on the root', () => {
    const state = organization({});
    state.roots[0]!.policyTypes = [];

    expect(denies(state, request(ROLE))).toBe(false);
  });

  it('refuses to guess an operator it does not model', () => {
    const state = organization({ Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } } });

    expect(() => denies(state, request(ROLE))).toThrow('does not model the condition operator NumericLessThan');
  });

  it('knows an assumed-role session by its role, as aws:PrincipalArn does', () => {
    expect(principalArnOf(`arn:aws:sts::${MEMBER}:assumed-role/BreakGlass/alice`)).toBe(`arn:aws:iam::${MEMBER}:role/BreakGlass`);
    expect(principalArnOf(`arn:aws:iam::${MEMBER}:user/simulator`)).toBe(`arn:aws:iam::${MEMBER}:user/simulator`);
  });
});

describe("the simulator's SCP evaluation: the Allow side, when the organization stores FullAWSAccess", () => {
  const EVERY_LEVEL = ['r-ab12', OU, MEMBER, MANAGEMENT];

  it('allows a call under FullAWSAccess at every level, as AWS attaches it', () => {
    expect(verdict(withPolicies(fullAwsAccess(EVERY_LEVEL)), request(ROLE))).toEqual({ decision: 'allow' });
  });

  it('refuses a call at the first level FullAWSAccess was detached from, when nothing else there allows it', () => {
    const state = withPolicies(fullAwsAccess(['r-ab12', MEMBER, MANAGEMENT]));

    expect(verdict(state, request(ROLE))).toEqual({ decision: 'implicitDeny', targetId: OU });
  });

  it('takes an allow-list in place of FullAWSAccess as the Allow of its level, for the actions it lists only', () => {
    const allowsAccount = withPolicies(fullAwsAccess(['r-ab12', MEMBER]), allowList('p-allowacct1', ['account:*'], [OU]));
    const allowsS3 = withPolicies(fullAwsAccess(['r-ab12', MEMBER]), allowList('p-allows3001', ['s3:*'], [OU]));

    expect(verdict(allowsAccount, request(ROLE))).toEqual({ decision: 'allow' });
    expect(verdict(allowsS3, request(ROLE))).toEqual({ decision: 'implicitDeny', targetId: OU });
  });

  it('lets an explicit Deny win over every Allow', () => {
    const state = organization({});
    state.policies!.push(fullAwsAccess(EVERY_LEVEL));

    expect(verdict(state, request(ROLE))).toMatchObject({ decision: 'explicitDeny', policy: { id: 'p-guard00001' } });
  });

  it('never binds the management account, whatever is attached above it', () => {
    const state = withPolicies(fullAwsAccess([]));

    expect(verdict(state, request(`arn:aws:iam::${MANAGEMENT}:role/Admin`), MANAGEMENT, `arn:aws:account::${MANAGEMENT}:account`)).toEqual({ decision: 'allow' });
  });
});
