import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Dashboard, GraphWidget, type IMetric, MathExpression, Metric, TextWidget } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENV } from '#shared/aws/env';
import { METRICS_NAMESPACE, RUN_DIMENSIONS, RUN_METRICS, THROTTLED_CALLS_METRIC } from '#shared/aws/metrics';
import { LATEST_PREFIX } from '#shared/aws/report-store';
import type { EnforcerFunction } from './enforcer-function.ts';

export interface RunReportingProps {
  /** The Report task: it writes each run's files and copies them to latest/. */
  readonly reportFunction: EnforcerFunction;
  /** Every task function, for the throttles graph. */
  readonly functions: readonly EnforcerFunction[];
  readonly stateMachine: StateMachine;
  /** The triggers' dead-letter queues, graphed by depth. */
  readonly deadLetterQueues: readonly IQueue[];
  /**
   * Days a run's report files are kept (`reports.retentionDays` in the configuration).
   * @default 400
   */
  readonly retentionDays?: number;
}

const DAYS_OF_NONCURRENT_VERSIONS = 30;

/**
 * The compliance record and the picture: a bucket for every run's report files (reports/<yyyy>/<mm>/<dd>/<runId>/
 * and latest/), with its access-log bucket, and a CloudWatch dashboard of runs, accounts, throttles, durations and
 * dead-letter queues.
 */
export class RunReporting extends Construct {
  public readonly bucket: Bucket;
  /** Server access logs of the report bucket: who read or changed which report. */
  public readonly accessLogsBucket: Bucket;
  public readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: RunReportingProps) {
    super(scope, id);
    // Log delivery through a bucket policy rather than the LogDeliveryWrite ACL, so both buckets keep ACLs disabled.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const retentionDays = props.retentionDays ?? 400;
    // SSE-S3: the files hold account ids, names and outcomes, never a contact's values, and an auditor given
    // s3:GetObject needs no key grant besides. Access-log buckets take SSE-S3 only.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
    const secure = {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      // An audit record outlives the stack: deleting the stack leaves both buckets.
      removalPolicy: RemovalPolicy.RETAIN,
    };
    const lifecycleRules = [
      {
        id: 'KeepForTheAuditPeriod',
        expiration: Duration.days(retentionDays),
        // latest/ is overwritten by every run; its older versions need not outlive a month.
        noncurrentVersionExpiration: Duration.days(DAYS_OF_NONCURRENT_VERSIONS),
        abortIncompleteMultipartUploadAfter: Duration.days(7),
      },
    ];
    this.accessLogsBucket = new Bucket(this, 'AccessLogs', { ...secure, lifecycleRules });
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the report bucket\'s access-log bucket; logging it too would only log the log deliveries.',
    });
    this.bucket = new Bucket(this, 'Reports', { ...secure, lifecycleRules, serverAccessLogsBucket: this.accessLogsBucket, serverAccessLogsPrefix: 'reports-bucket/' });

    this.grantReportWriter(props.reportFunction);
    this.dashboard = this.createDashboard(props);

    new CfnOutput(this, 'LatestReport', {
      description: 'The last whole-organization run\'s report (also report.csv and report.json); every run\'s are under reports/<yyyy>/<mm>/<dd>/<runId>/',
      value: `s3://${this.bucket.bucketName}/${LATEST_PREFIX}report.html`,
    }).overrideLogicalId('LatestReport');
    new CfnOutput(this, 'DashboardUrl', {
      description: 'The enforcer\'s CloudWatch dashboard',
      value: `https://${Stack.of(this).region}.console.aws.amazon.com/cloudwatch/home?region=${Stack.of(this).region}#dashboards/dashboard/${this.dashboard.dashboardName}`,
    }).overrideLogicalId('DashboardUrl');
  }

  /** PutObject under reports/ and latest/, GetObject under reports/ (CopyObject reads its source): nothing else. */
  private grantReportWriter(reportFunction: EnforcerFunction): void {
    const runFiles = this.bucket.arnForObjects('reports/*');
    const latestFiles = this.bucket.arnForObjects(`${LATEST_PREFIX}*`);
    reportFunction.use(ENV.REPORT_BUCKET, this.bucket.bucketName, (fn) => {
      // https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html (s3:GetObject on the source, s3:PutObject on the target)
      fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [runFiles, latestFiles] }));
      fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [runFiles] }));
    });
    const logicalId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as never);
    Validations.of(reportFunction.role).acknowledge(
      { id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/reports/*]`, reason: 'Each run writes its own folder, named by date and run id at run time; only report files, in this one bucket.' },
      { id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/${LATEST_PREFIX}*]`, reason: 'latest/ holds the three files of the last run, overwritten by every run.' },
    );
  }

  private createDashboard({ stateMachine, functions, deadLetterQueues }: RunReportingProps): Dashboard {
    const perRun = { period: Duration.hours(1), statistic: 'Sum' };
    const runMetric = (metricName: string, label: string) => new Metric({ namespace: METRICS_NAMESPACE, metricName, label, ...perRun });
    // One line per trigger and status that has occurred, without listing them here.
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-search-expressions.html
    const runsByTriggerAndStatus = new MathExpression({
      expression: `SEARCH('{${METRICS_NAMESPACE},${RUN_DIMENSIONS.join(',')}} MetricName="${RUN_METRICS.runs}"', 'Sum', 86400)`,
      label: '',
      period: Duration.days(1),
    });
    const lambdaThrottles = new MathExpression({
      expression: `SUM([${functions.map((_, i) => `t${i}`).join(',')}])`,
      usingMetrics: Object.fromEntries(functions.map((fn, i) => [`t${i}`, fn.lambda.metricThrottles(perRun)])),
      label: 'Lambda throttles (all tasks)',
      period: perRun.period,
    });
    const graph = (title: string, left: IMetric[], extra: Partial<ConstructorParameters<typeof GraphWidget>[0]> = {}) =>
      new GraphWidget({ title, left, width: 12, height: 6, ...extra });

    const dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.days(14) });
    dashboard.addWidgets(
      new TextWidget({
        markdown: `# Alternate Contacts Enforcer\nEach run's full report: \`s3://${this.bucket.bucketName}/reports/<yyyy>/<mm>/<dd>/<runId>/report.html\`; the last whole-organization run's: \`${LATEST_PREFIX}report.html\`.`,
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      graph('Runs reported, by trigger and status (per day)', [runsByTriggerAndStatus]),
      graph('Executions, by status (per day)', [
        stateMachine.metricStarted({ period: Duration.days(1), statistic: 'Sum', label: 'started' }),
        stateMachine.metricSucceeded({ period: Duration.days(1), statistic: 'Sum', label: 'succeeded' }),
        stateMachine.metricFailed({ period: Duration.days(1), statistic: 'Sum', label: 'failed' }),
        stateMachine.metricTimedOut({ period: Duration.days(1), statistic: 'Sum', label: 'timed out' }),
        stateMachine.metricAborted({ period: Duration.days(1), statistic: 'Sum', label: 'aborted' }),
      ]),
    );
    dashboard.addWidgets(
      graph('Accounts per run', [
        runMetric(RUN_METRICS.compliant, 'compliant'),
        runMetric(RUN_METRICS.changed, 'changed'),
        runMetric(RUN_METRICS.drift, 'drift (dry run)'),
        runMetric(RUN_METRICS.failed, 'failed'),
      ]),
      graph('Throttled calls', [
        runMetric(THROTTLED_CALLS_METRIC.metricName, 'AWS API calls still throttled after the SDK retries'),
        stateMachine.metricThrottled({ ...perRun, label: 'Step Functions throttled' }),
        lambdaThrottles,
      ]),
    );
    dashboard.addWidgets(
      graph('Duration of the last runs (minutes)', [
        new MathExpression({ expression: 'm / 60000', usingMetrics: { m: stateMachine.metricTime({ period: Duration.hours(1), statistic: 'Maximum' }) }, label: 'execution time', period: Duration.hours(1) }),
      ]),
      graph(
        'Dead-letter queues: triggers that never started a run',
        deadLetterQueues.map((queue) => queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum', label: queue.node.path.split('/').slice(-2, -1)[0] ?? 'queue' })),
      ),
    );
    return dashboard;
  }
}
