import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '#shared/rules/config';
import { guardrailDocument, lockedTypes, SCP_MAX_CHARACTERS, worstCaseGuardrailSize } from '#shared/rules/guardrail';
import { buildApp, DELEGATED, ENFORCER_ACCOUNT, exampleConfigWith, freshApp, MANAGEMENT_ACCOUNT, resourcesOf, STACK_IDS, templateOf } from './synth.ts';

const partitionArn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });
const WORKLOADS_OU = 'ou-ab12-cd34ef56';
const BREAK_GLASS = 'arn:aws:iam::*:role/BreakGlass';
const GUARDED = exampleConfigWith((config) => {
  config.guardrail = { targets: [WORKLOADS_OU], exemptPrincipalArns: [BREAK_GLASS] };
});
const SECURITY_ONLY = exampleConfigWith((config) => {
  config.guardrail = { targets: ['r-ab12'], types: ['SECURITY'] };
});

/** The one SCP a template holds: its properties, with the document's single statement. */
function guardrailOf(template: Template) {
  const policies = Object.values(resourcesOf(template, 'AWS::Organizations::Policy'));
  expect(policies).toHaveLength(1);
  const properties = policies[0]!.Properties as { Type: string; Name: string; TargetIds: string[]; Content: { Statement: { Effect: string; Action: string[]; Resource: string; Condition: Record<string, Record<string, unknown>> }[] } };
  expect(properties.Content.Statement).toHaveLength(1);
  return { ...properties, statement: properties.Content.Statement[0]! };
}

describe('the contact guardrail (an SCP)', () => {
  it('is not deployed without a guardrail section: single topology', () => {
    templateOf(buildApp(), STACK_IDS.enforcer).resourceCountIs('AWS::Organizations::Policy', 0);
  });

  it('is not deployed without a guardrail section: delegated topology', () => {
    const app = buildApp(DELEGATED);
    for (const stack of [STACK_IDS.enforcer, STACK_IDS.management]) templateOf(app, stack).resourceCountIs('AWS::Organizations::Policy', 0);
  });

  it('single topology: the enforcer stack, in the management account, denies Put and Delete on every managed type to all but the put role and the exempt principals, attached to the one OU', () => {
    const { Type, TargetIds, statement } = guardrailOf(templateOf(buildApp({ config: GUARDED }), STACK_IDS.enforcer));

    expect(Type).toBe('SERVICE_CONTROL_POLICY');
    expect(TargetIds).toEqual([WORKLOADS_OU]);
    expect(statement).toEqual({
      Sid: 'LockManagedAlternateContacts',
      Effect: 'Deny',
      Action: ['account:PutAlternateContact', 'account:DeleteAlternateContact'],
      Resource: '*',
      Condition: {
        'ForAnyValue:StringEquals': { 'account:AlternateContactTypes': ['SECURITY', 'BILLING', 'OPERATIONS'] },
        ArnNotLike: { 'aws:PrincipalArn': [partitionArn(`:iam::${MANAGEMENT_ACCOUNT}:role/AlternateContactsEnforcer-PutContacts`), BREAK_GLASS] },
      },
    });
  });

  it('single topology: the put role carries the fixed name the policy exempts', () => {
    templateOf(buildApp({ config: GUARDED }), STACK_IDS.enforcer).hasResourceProperties('AWS::IAM::Role', { RoleName: 'AlternateContactsEnforcer-PutContacts' });
  });

  it('delegated topology: the management stack holds it, exempting the put role in the enforcer account and the management role; the enforcer stack holds none', () => {
    const app = buildApp({ ...DELEGATED, config: GUARDED });

    const { TargetIds, statement } = guardrailOf(templateOf(app, STACK_IDS.management));

    expect(TargetIds).toEqual([WORKLOADS_OU]);
    expect(statement.Action).toEqual(['account:PutAlternateContact', 'account:DeleteAlternateContact']);
    expect(statement.Condition.ArnNotLike).toEqual({
      'aws:PrincipalArn': [
        partitionArn(`:iam::${MANAGEMENT_ACCOUNT}:role/AlternateContactsEnforcer-ManagementAccount`),
        partitionArn(`:iam::${ENFORCER_ACCOUNT}:role/AlternateContactsEnforcer-PutContacts`),
        BREAK_GLASS,
      ],
    });
    templateOf(app, STACK_IDS.enforcer).resourceCountIs('AWS::Organizations::Policy', 0);
  });

  it('locks only the types it lists, and targets the root when asked', () => {
    for (const [context, stack] of [[{}, STACK_IDS.enforcer], [DELEGATED, STACK_IDS.management]] as const) {
      const { TargetIds, statement } = guardrailOf(templateOf(buildApp({ ...context, config: SECURITY_ONLY }), stack));

      expect(TargetIds).toEqual(['r-ab12']);
      expect(statement.Condition['ForAnyValue:StringEquals']).toEqual({ 'account:AlternateContactTypes': ['SECURITY'] });
    }
  });

  it('synthesizes with cdk-nag clean in both topologies, and the policy satisfies CloudFormation\'s schema', () => {
    expect(() => buildApp({ config: GUARDED }).synth()).not.toThrow();
    // One topology through the CloudFormation validation is enough for the resource's schema (its engine is slow to start).
    expect(() => freshApp({ ...DELEGATED, config: GUARDED }, { validateTemplates: true }).synth()).not.toThrow();
  });

  it('stays well under the SCP size limit: the example with 20 exempt principals and the longest role ARNs is under half of 5,120 characters', () => {
    const config = loadConfig(GUARDED);
    const exempt = Array.from({ length: 20 }, (_, i) => `arn:aws:iam::*:role/break-glass/incident-responder-${i}`);

    const size = worstCaseGuardrailSize(lockedTypes(config), exempt);

    expect(size).toBeLessThan(SCP_MAX_CHARACTERS / 2);
    expect(JSON.stringify(guardrailDocument(lockedTypes(config), ['arn:aws:iam::333333333333:role/AlternateContactsEnforcer-PutContacts'], [BREAK_GLASS])).length).toBeLessThan(600);
  });

  it('outputs the policy id, with the break-glass detach command, from the stack that holds it', () => {
    for (const [context, stack] of [[{}, STACK_IDS.enforcer], [DELEGATED, STACK_IDS.management]] as const) {
      const outputs = Object.values(templateOf(buildApp({ ...context, config: GUARDED }), stack).findOutputs('*')) as { Value: unknown; Description?: string }[];

      expect(outputs).toContainEqual({ Value: { 'Fn::GetAtt': [expect.stringMatching(/^ContactGuardrailPolicy/), 'Id'] }, Description: expect.stringContaining(`--target-id ${WORKLOADS_OU}`) });
    }
  });

  it('names no wildcard action', () => {
    const { statement } = guardrailOf(templateOf(buildApp({ config: GUARDED }), STACK_IDS.enforcer));

    expect(statement.Action.every((action) => !action.includes('*'))).toBe(true);
  });
});
