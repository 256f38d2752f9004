import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { buildApp, DELEGATED, freshApp, STACK_IDS } from './synth.ts';

const TOPOLOGIES = {
  'single account': {},
  delegated: DELEGATED,
  'delegated, Control Tower outside us-east-1': { ...DELEGATED, controlTowerHomeRegion: 'eu-west-1' },
  'single account, Control Tower outside us-east-1': { controlTowerHomeRegion: 'eu-west-1' },
  'single account, existing Slack secret': { slackWebhookSecret: 'existing' },
};

/** The topology's app as `cdk synth` builds it: cdk-nag and CloudFormation's template validation both on. */
const synthesized = (context: Record<string, unknown>) => buildApp(context, { validateTemplates: true });

/** Every `Validations.of(scope).acknowledge()` in the app, as [construct path, rule id, reason]. */
function acknowledgements(app: App): [string, string, unknown][] {
  return app.node
    .findAll()
    .flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.entries(entry.data as Record<string, unknown>).map(([id, reason]): [string, string, unknown] => [construct.node.path, id, reason])),
    );
}

describe('cdk-nag AWS Solutions checks', () => {
  it.each(Object.entries(TOPOLOGIES))('leave no unacknowledged finding in the %s topology', (_name, context) => {
    const app = synthesized(context);

    expect(() => app.synth()).not.toThrow();
  });

  it('fail the synth on a finding nobody acknowledged', () => {
    const app = freshApp();
    const stack = app.node.findChild(STACK_IDS.enforcer) as Stack;
    new Role(stack, 'CarelessRole', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') }).addToPolicy(
      new PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }),
    );

    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5\[Resource::\*\]/);
  });

  it.each(Object.entries(TOPOLOGIES))('come with a written reason for every acknowledgement in the %s topology', (_name, context) => {
    const app = synthesized(context);

    const acknowledged = acknowledgements(app);

    expect(acknowledged.length).toBeGreaterThan(0);
    for (const [path, id, reason] of acknowledged) {
      expect(typeof reason === 'string' && reason.trim().split(/\s+/).length >= 8, `${path} ${id}: "${String(reason)}"`).toBe(true);
    }
  });
});

describe('CloudFormation template validation, as cdk.json sets it for `cdk synth`', () => {
  it.each(Object.entries(TOPOLOGIES))('finds nothing in the %s topology, not even a warning', (_name, context) => {
    const report = JSON.parse(readFileSync(join(synthesized(context).synth().directory, 'validation-report.json'), 'utf8')) as { pluginReports: { violations?: unknown[] }[] };

    expect(report.pluginReports.flatMap((plugin) => plugin.violations ?? [])).toEqual([]);
  });

  it('fails the synth on a property CloudFormation would reject', () => {
    const app = freshApp({}, { validateTemplates: true });
    const stack = app.node.findChild(STACK_IDS.enforcer) as Stack;
    new CfnResource(stack, 'CarelessQueue', { type: 'AWS::SQS::Queue', properties: { MessageRetentionPeriod: 'forever' } });

    expect(() => app.synth()).toThrow(/MessageRetentionPeriod: 'forever' is not of type 'integer' \(CloudFormation Validate\)/);
  });
});
