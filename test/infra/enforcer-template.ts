import { expect } from 'vitest';
import type { Template } from 'aws-cdk-lib/assertions';
import { functionArnSubstitution, type TaskName } from '../../infra/tasks.ts';
import { buildApp, resourcesOf, STACK_IDS, templateOf } from './synth.ts';

let shared: Template | undefined;
/**
 * The enforcer stack of the example configuration, single topology: what most infra tests read. Built once, like the
 * app under it (synth.ts), and the default template of the helpers below.
 */
export const enforcerTemplate = (): Template => (shared ??= templateOf(buildApp(), STACK_IDS.enforcer));

export const MANAGED_TYPES = ['SECURITY', 'BILLING', 'OPERATIONS'];
export const CONTACT_TYPE_CONDITION = {
  'ForAllValues:StringEquals': { 'account:AlternateContactTypes': MANAGED_TYPES },
  Null: { 'account:AlternateContactTypes': 'false' },
};
export const partitionArn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: unknown;
}
export const actionsOf = (statement: Statement) => [statement.Action].flat();

/** The logical id of a task's Lambda function: EnforcerGetContactsFunction1234ABCD. */
export function functionId(task: TaskName, template = enforcerTemplate()): string {
  const ids = Object.keys(template.findResources('AWS::Lambda::Function')).filter((id) => id.startsWith(`Enforcer${functionArnSubstitution(task).replace('FunctionArn', '')}Function`));
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

/** EnforcerGetContacts: the logical-id prefix of everything the task's EnforcerFunction holds. */
export const constructPrefix = (task: TaskName, template = enforcerTemplate()) => functionId(task, template).replace(/Function[0-9A-F]{8}$/, '');

export function environmentOf(task: TaskName, template = enforcerTemplate()): Record<string, unknown> {
  const fn = template.findResources('AWS::Lambda::Function')[functionId(task, template)] as { Properties: { Environment: { Variables: Record<string, unknown> } } };
  return fn.Properties.Environment.Variables;
}

/** Statements of the identity policies attached to a task's role. */
export function statementsOf(task: TaskName, template = enforcerTemplate()): Statement[] {
  const roles = Object.keys(template.findResources('AWS::IAM::Role')).filter((id) => id.startsWith(`${constructPrefix(task, template)}Role`));
  expect(roles).toHaveLength(1);
  const role = roles[0];
  const policies = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).filter((policy) =>
    (policy.Properties?.Roles as unknown[]).some((ref) => JSON.stringify(ref) === JSON.stringify({ Ref: role })),
  );
  const statements = policies.flatMap((policy) => (policy.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
  // Every role can at least write its own logs: an empty list means the lookup went wrong, not least privilege.
  expect(statements.length).toBeGreaterThan(0);
  return statements;
}
