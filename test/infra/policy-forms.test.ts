import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp, DELEGATED, exampleConfigWith, resourcesOf, STACK_IDS, templateOf, withTagExclusion } from './synth.ts';

interface Statement {
  readonly Action: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** Every identity-policy statement that allows account:DeleteAlternateContact. */
function deleteStatements(template: Template): Statement[] {
  const inline = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).flatMap(
    (policy) => (policy.Properties?.PolicyDocument as { Statement: Statement[] }).Statement,
  );
  const embedded = Object.values(resourcesOf(template, 'AWS::IAM::Role')).flatMap((role) =>
    ((role.Properties?.Policies as { PolicyDocument: { Statement: Statement[] } }[] | undefined) ?? []).flatMap((policy) => policy.PolicyDocument.Statement),
  );
  return [...inline, ...embedded].filter((statement) => [statement.Action].flat().includes('account:DeleteAlternateContact'));
}

const operationsDeleted = exampleConfigWith((config) => {
  config.contacts.OPERATIONS = { policy: 'delete' };
  for (const override of Object.values(config.overrides?.organizationalUnits ?? {})) delete override.OPERATIONS;
});

describe('DeleteAlternateContact in IAM', () => {
  it('is granted nowhere when no type can be deleted', () => {
    for (const id of [STACK_IDS.enforcer, STACK_IDS.management]) {
      const app = buildApp(DELEGATED);
      if (app.node.tryFindChild(id)) expect(deleteStatements(templateOf(app, id)), id).toEqual([]);
    }
  });

  it('is granted for OPERATIONS only when OPERATIONS has the delete policy, to the writer and the management role', () => {
    const app = buildApp({ ...DELEGATED, config: operationsDeleted });
    for (const id of [STACK_IDS.enforcer, STACK_IDS.management]) {
      const statements = deleteStatements(templateOf(app, id));

      expect(statements, id).toHaveLength(1);
      expect(statements[0]!.Condition).toEqual({
        'ForAllValues:StringEquals': { 'account:AlternateContactTypes': ['OPERATIONS'] },
        Null: { 'account:AlternateContactTypes': 'false' },
      });
    }
  });
});


/** The rules (of the enforcer stack, or the management stack's forwarders) that match TagResource. */
const tagRules = (template: Template) =>
  Object.values(resourcesOf(template, 'AWS::Events::Rule')).filter((rule) => JSON.stringify(rule.Properties?.EventPattern ?? {}).includes('TagResource'));

describe('account tags in the infrastructure', () => {
  it('reads tags and reacts to tag changes only when the configuration uses tags', () => {
    const plain = templateOf(buildApp(), STACK_IDS.enforcer);
    expect(tagRules(plain)).toEqual([]);
    expect(JSON.stringify(plain.toJSON())).not.toContain('organizations:ListTagsForResource');

    const tagged = templateOf(buildApp({ config: withTagExclusion() }), STACK_IDS.enforcer);
    const [rule, ...others] = tagRules(tagged);

    expect(others).toEqual([]);
    expect(rule?.Properties?.EventPattern).toEqual({
      source: ['aws.organizations'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: { eventName: ['TagResource', 'UntagResource'] },
    });
    expect(JSON.stringify(tagged.toJSON())).toContain('organizations:ListTagsForResource');
  });

  it('forwards tag changes from the management account in the delegated topology', () => {
    const app = buildApp({ ...DELEGATED, config: withTagExclusion() });

    expect(tagRules(templateOf(app, STACK_IDS.management))).toHaveLength(1);
  });
});
