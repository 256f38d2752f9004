import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '#shared/aws/env';
import { buildApp, exampleConfigWith, resourcesOf, STACK_IDS, templateOf } from './synth.ts';

let template: Template;
beforeAll(() => {
  template = templateOf(buildApp(), STACK_IDS.enforcer);
});

interface Statement {
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Effect: string;
}
const statementsOf = (template: Template) =>
  Object.entries(resourcesOf(template, 'AWS::IAM::Policy')).flatMap(([id, policy]) =>
    ((policy.Properties?.['PolicyDocument'] as { Statement: Statement[] }).Statement ?? []).map((statement) => ({ id, statement })),
  );
const bucketId = (template: Template) => Object.keys(resourcesOf(template, 'AWS::S3::Bucket')).find((id) => id.includes('RunReportingReports'))!;
const objectsArn = (bucket: string, prefix: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, `/${prefix}`]] });
/** The dashboard body as CloudWatch receives it, with each CloudFormation reference shown as <ref>. */
function dashboardText(template: Template): string {
  const body = Object.values(resourcesOf(template, 'AWS::CloudWatch::Dashboard'))[0]?.Properties?.['DashboardBody'] as { 'Fn::Join': [string, unknown[]] };
  return body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : '<ref>')).join('');
}

describe('the report bucket', () => {
  it('is encrypted, versioned, public-access-blocked, ACL-free, access-logged and kept when the stack goes', () => {
    const logs = Object.keys(resourcesOf(template, 'AWS::S3::Bucket')).find((id) => id.includes('RunReportingAccessLogs'))!;
    template.hasResource('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LoggingConfiguration: { DestinationBucketName: { Ref: logs }, LogFilePrefix: 'reports-bucket/' },
      },
      DeletionPolicy: 'Retain',
    });
  });

  it('keeps reports 400 days by default, and expires latest/\'s older versions after 30', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: Match.anyValue(),
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 400, NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' })] },
    });
  });

  it('takes its retention from reports.retentionDays in the configuration', () => {
    const custom = templateOf(buildApp({ config: exampleConfigWith((config) => (config.reports = { retentionDays: 730 })) }), STACK_IDS.enforcer);

    custom.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: Match.anyValue(),
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 730 })] },
    });
  });

  it('refuses any request without TLS 1.2', () => {
    const bucket = bucketId(template);
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucket },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      },
    });
  });

  it('lets only the Report function write, and only PutObject under reports/ and latest/ and GetObject under reports/', () => {
    const bucket = bucketId(template);
    const s3Statements = statementsOf(template).filter(({ statement }) => [statement.Action].flat().some((action) => action.startsWith('s3:')));

    expect(s3Statements.map(({ id }) => id).every((id) => id.startsWith('EnforcerReportRole'))).toBe(true);
    expect(s3Statements.map(({ statement }) => statement)).toEqual([
      { Action: 's3:PutObject', Effect: 'Allow', Resource: [objectsArn(bucket, 'reports/*'), objectsArn(bucket, 'latest/*')] },
      { Action: 's3:GetObject', Effect: 'Allow', Resource: objectsArn(bucket, 'reports/*') },
    ]);
    const bucketVariables = Object.values(resourcesOf(template, 'AWS::Lambda::Function'))
      .map((fn) => (fn.Properties?.['Environment'] as { Variables?: Record<string, unknown> } | undefined)?.Variables?.[ENV.REPORT_BUCKET])
      .filter((value) => value !== undefined);
    expect(bucketVariables).toEqual([{ Ref: bucket }]);
  });

  it('gives the Report function the memory and time 10,000 accounts need (bench/report.ts measures them)', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ENV.REPORT_BUCKET]: Match.anyValue() }) },
      MemorySize: 1024,
      Timeout: 300,
    });
  });

  it('is named in the stack outputs, with the dashboard', () => {
    template.hasOutput('LatestReport', { Value: { 'Fn::Join': ['', ['s3://', { Ref: bucketId(template) }, '/latest/report.html']] } });
    template.hasOutput('DashboardUrl', Match.anyValue());
  });
});

describe('the dashboard', () => {
  it.each([
    ['runs by trigger and status', `SEARCH('{AlternateContactsEnforcer,Trigger,Status} MetricName=\\"Runs\\"', 'Sum', 86400)`],
    ['executions by status', '"AWS/States","ExecutionsFailed"'],
    ['accounts compliant per run', '"AlternateContactsEnforcer","CompliantAccounts"'],
    ['accounts changed per run', '"AlternateContactsEnforcer","ChangedAccounts"'],
    ['accounts failed per run', '"AlternateContactsEnforcer","FailedAccounts"'],
    ['throttled API calls', '"AlternateContactsEnforcer","ThrottledCalls"'],
    ['throttled executions', '"AWS/States","ExecutionThrottled"'],
    ['throttled task functions', '"AWS/Lambda","Throttles"'],
    ['the duration of the last runs', '"AWS/States","ExecutionTime"'],
    ["the dead-letter queues' depth", '"AWS/SQS","ApproximateNumberOfMessagesVisible"'],
  ])('graphs %s', (_what, text) => {
    expect(dashboardText(template)).toContain(text);
  });
});
