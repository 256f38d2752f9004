import { describe, expect, it } from 'vitest';
import { actionMatches, evaluateScps, type PolicyLevel } from '../../preflight/scp.ts';

const FULL_AWS_ACCESS = { id: 'p-FullAWSAccess', name: 'FullAWSAccess', content: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) };
const policy = (statement: Record<string, unknown>) => ({ id: 'p-guardrail1', name: 'Guardrail', content: JSON.stringify({ Version: '2012-10-17', Statement: statement }) });
/** root → OU → account, FullAWSAccess at each level, `extra` on the OU. */
const path = (...extra: ReturnType<typeof policy>[]): PolicyLevel[] => [
  { targetId: 'r-ab12', policies: [FULL_AWS_ACCESS] },
  { targetId: 'ou-ab12-s3cur1ty', policies: [FULL_AWS_ACCESS, ...extra] },
  { targetId: '333333333333', policies: [FULL_AWS_ACCESS] },
];
const PUT = 'account:PutAlternateContact';

describe('the static SCP reading', () => {
  it.each([
    ['account:*', true],
    ['Account:Put*', true],
    ['account:?utAlternateContact', true],
    ['account:Get*', false],
    ['*', true],
    ['accounts:*', false],
  ])('matches %s against account:PutAlternateContact: %s', (pattern, expected) => {
    expect(actionMatches(pattern, PUT)).toBe(expected);
  });

  it.each([
    ['FullAWSAccess alone', [], 'allowed'],
    ['an unconditional Deny of account:*', [policy({ Effect: 'Deny', Action: 'account:*', Resource: '*' })], 'denied'],
    ['a Deny of other actions', [policy({ Effect: 'Deny', Action: ['ec2:*', 'account:DeleteAlternateContact'], Resource: '*' })], 'allowed'],
    ['a NotAction Deny that exempts account:*', [policy({ Effect: 'Deny', NotAction: ['account:*'], Resource: '*' })], 'allowed'],
    ['a NotAction Deny that does not', [policy({ Effect: 'Deny', NotAction: ['iam:*'], Resource: '*' })], 'denied'],
    [
      'a Region-deny without us-east-1',
      [policy({ Effect: 'Deny', NotAction: ['iam:*'], Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1'] } } })],
      'denied',
    ],
    [
      'a Region-deny with us-east-1 (StringNotLike us-*)',
      [policy({ Effect: 'Deny', NotAction: ['iam:*'], Resource: '*', Condition: { StringNotLike: { 'aws:RequestedRegion': ['us-*'] } } })],
      'allowed',
    ],
    ['a Deny only in us-east-1', [policy({ Effect: 'Deny', Action: 'account:*', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } } })], 'denied'],
    [
      'a Deny with a principal exemption it cannot read',
      [policy({ Effect: 'Deny', Action: 'account:*', Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Admin' } } })],
      'conditional',
    ],
    ['a statement that is not a list', [policy({ Effect: 'Deny', Action: 'account:PutAlternateContact', Resource: '*' })], 'denied'],
  ])('%s: %s', (_case, extra, kind) => {
    expect(evaluateScps(path(...extra), PUT).kind).toBe(kind);
  });

  it('denies what no SCP allows at some level: an allow list without account actions', () => {
    const allowList = { id: 'p-allowlist1', name: 'AllowList', content: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: ['ec2:*', 's3:*'], Resource: '*' }] }) };
    const verdict = evaluateScps([{ targetId: 'r-ab12', policies: [FULL_AWS_ACCESS] }, { targetId: 'ou-ab12-s3cur1ty', policies: [allowList] }], PUT);

    expect(verdict).toMatchObject({ kind: 'denied', reason: 'no SCP on ou-ab12-s3cur1ty allows it (an allow list without it)' });
  });

  it('marks a Region-deny as such, so the fix can name the exemption to add', () => {
    const verdict = evaluateScps(path(policy({ Effect: 'Deny', NotAction: ['iam:*'], Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1'] } } })), PUT);

    expect(verdict).toMatchObject({ kind: 'denied', regionDeny: true });
  });
});
