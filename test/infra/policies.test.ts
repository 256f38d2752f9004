import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { ASL_FILE } from '../../infra/constructs/enforcer-workflow.ts';
import { buildApp, DELEGATED, resourcesOf, STACK_IDS, templateOf } from './synth.ts';

interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | string[];
  readonly Principal?: unknown;
}

const ALL_STACKS_CONTEXT = { ...DELEGATED, controlTowerHomeRegion: 'eu-west-1' };

function everyTemplate(context: Record<string, unknown>): [string, Template][] {
  const app = buildApp(context);
  return Object.values(STACK_IDS).flatMap((id) => (app.node.tryFindChild(id) ? [[id, templateOf(app, id)] as [string, Template]] : []));
}

/** Every permission statement in a template: identity policies and resource policies alike (trust policies aside). */
function statementsIn(template: Template): Statement[] {
  const documents = (type: string, read: (properties: Record<string, unknown>) => unknown) =>
    Object.values(resourcesOf(template, type)).flatMap((resource) => [read(resource.Properties ?? {})].flat());
  const statementsOf = (document: unknown) => (document as { Statement: Statement[] } | undefined)?.Statement ?? [];
  return [
    ...documents('AWS::IAM::Policy', (p) => p.PolicyDocument).flatMap(statementsOf),
    ...documents('AWS::IAM::ManagedPolicy', (p) => p.PolicyDocument).flatMap(statementsOf),
    ...documents('AWS::IAM::Role', (p) => (p.Policies as { PolicyDocument: unknown }[] | undefined)?.map((policy) => policy.PolicyDocument) ?? []).flatMap(statementsOf),
    ...documents('AWS::SNS::TopicPolicy', (p) => p.PolicyDocument).flatMap(statementsOf),
    ...documents('AWS::SQS::QueuePolicy', (p) => p.PolicyDocument).flatMap(statementsOf),
    ...documents('AWS::KMS::Key', (p) => p.KeyPolicy).flatMap(statementsOf),
    ...(documents('AWS::Events::EventBusPolicy', (p) => p.Statement) as Statement[]),
  ];
}

/**
 * AWS's default key policy statement: it hands the key's permissions to the account's IAM policies, which is
 * where this app grants them (without wildcards). Without it the key could become unmanageable.
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam
 */
const isDefaultKeyPolicy = (statement: Statement) =>
  statement.Action === 'kms:*' && JSON.stringify(statement.Principal).includes(':root');

/**
 * The one wildcard AWS documents by name: CloudWatch alarm actions on an encrypted topic need kms:GenerateDataKey* and
 * kms:Decrypt in the key policy, for the cloudwatch.amazonaws.com principal only.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 */
const isDocumentedAlarmKeyStatement = (statement: Statement) =>
  JSON.stringify(statement.Principal) === JSON.stringify({ Service: 'cloudwatch.amazonaws.com' }) &&
  JSON.stringify(statement.Action) === JSON.stringify(['kms:Decrypt', 'kms:GenerateDataKey*']);

describe('permissions', () => {
  it.each(everyTemplate(ALL_STACKS_CONTEXT))('allow no wildcard action in %s', (_id, template) => {
    const statements = statementsIn(template).filter(
      (statement) => statement.Effect === 'Allow' && !isDefaultKeyPolicy(statement) && !isDocumentedAlarmKeyStatement(statement),
    );

    const wildcards = statements.flatMap((statement) => [statement.Action ?? []].flat()).filter((action) => action.includes('*'));

    expect(statements.length).toBeGreaterThan(0);
    expect(wildcards).toEqual([]);
  });
});

describe('the synthesized state machine definition', () => {
  /** The definition file as the cloud assembly ships it to S3 (DefinitionBody.fromFile makes it an asset). */
  function shippedDefinition(context: Record<string, unknown> = {}): string {
    const app = buildApp(context);
    const [stateMachine] = Object.values(resourcesOf(templateOf(app, STACK_IDS.enforcer), 'AWS::StepFunctions::StateMachine'));
    const { Key } = stateMachine?.Properties?.DefinitionS3Location as { Key: string };
    return readFileSync(join(app.synth().directory, `asset.${Key}`), 'utf8');
  }

  /** Fills the definition substitutions with syntactically valid ARNs, as CloudFormation fills them with real ones. */
  function substituted(definition: string): { States: Record<string, unknown> } {
    return JSON.parse(
      definition.replace(/\$\{(\w+)\}/g, (_match, name: string) =>
        name.endsWith('FunctionArn') ? `arn:aws:lambda:us-east-1:111111111111:function:${name}` : `arn:aws:iam::111111111111:role/${name}`,
      ),
    ) as { States: Record<string, unknown> };
  }

  it.each(Object.entries({ single: {}, delegated: DELEGATED }))('is valid ASL in the %s topology', (_name, context) => {
    const definition = substituted(shippedDefinition(context));

    const { isValid, errors } = aslValidator(definition);

    expect(errors).toEqual([]);
    expect(isValid).toBe(true);
  });

  it('would be rejected with a state missing', () => {
    const definition = substituted(shippedDefinition());
    delete definition.States.ListAccounts;

    const { isValid } = aslValidator(definition);

    expect(isValid).toBe(false);
  });

  it('is the statemachine/ file, shipped as is: the definition the local tests execute', () => {
    expect(shippedDefinition()).toBe(readFileSync(ASL_FILE, 'utf8'));
  });
});
