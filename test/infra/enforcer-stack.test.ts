import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { enforcerTemplate } from './enforcer-template.ts';
import { buildApp, exampleConfigWith, STACK_IDS, templateOf } from './synth.ts';

// The stack around the enforcer construct (single topology): the Organizations setup and what deploy prints last.

const template = enforcerTemplate();

describe('Organizations setup (single topology)', () => {
  const call = (action: string) => Match.serializedJson(Match.objectLike({ service: 'Organizations', action, region: 'us-east-1' }));

  it('enables trusted access for account.amazonaws.com through the us-east-1 endpoint on create and on update', () => {
    template.hasResourceProperties('Custom::AWS', { Create: call('enableAWSServiceAccess'), Update: call('enableAWSServiceAccess') });
    template.hasResourceProperties('Custom::AWS', { Create: Match.serializedJson(Match.objectLike({ parameters: { ServicePrincipal: 'account.amazonaws.com' } })) });
  });

  it('registers no delegated administrator', () => {
    expect(template.findResources('Custom::AWS', { Properties: { Create: call('registerDelegatedAdministrator') } })).toEqual({});
  });

  it('is left out when the configuration turns setupTrustedAccess off', () => {
    const config = exampleConfigWith((c) => {
      c.deployment = { ...c.deployment!, setupTrustedAccess: false };
    });

    const manual = templateOf(buildApp({ config }), STACK_IDS.enforcer);

    // The deploy-time run and the root lookup remain; no call changes the organization.
    expect(JSON.stringify(manual.findResources('Custom::AWS'))).not.toMatch(/enableAWSServiceAccess|registerDelegatedAdministrator/);
  });
});

describe('next steps', () => {
  it('prints the state machine, the console, the first audit run and the secret to fill', () => {
    const outputs = template.findOutputs('*');

    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['StateMachineArn', 'ConsoleUrl', 'FirstAuditRun', 'SlackWebhookSecretToFill']));
    expect(JSON.stringify(outputs.FirstAuditRun)).toContain('aws stepfunctions start-execution');
    expect(JSON.stringify(outputs.FirstAuditRun)).toContain(`--input '{\\"dryRun\\": true}'`);
    expect(JSON.stringify(outputs.SlackWebhookSecretToFill)).toContain('put-secret-value --region us-east-1 --secret-id alternate-contacts/slack-webhook');
  });
});
