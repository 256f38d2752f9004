import { Logger } from '@aws-lambda-powertools/logger';

/** The one Logger every task imports, so all log lines carry the same service name. */
export const logger = new Logger({ serviceName: 'alternate-contacts-enforcer' });

const METRICS_NAMESPACE = 'AlternateContactsEnforcer';

/**
 * Emits a CloudWatch count metric in the Embedded Metric Format: one structured log line, no API call.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export function emitCountMetric(name: string, value: number): void {
  // Powertools' own switch, so a laptop run is not cluttered with metric lines.
  if (process.env['POWERTOOLS_METRICS_DISABLED'] === 'true') return;
  const metric = {
    _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: METRICS_NAMESPACE, Dimensions: [[]], Metrics: [{ Name: name, Unit: 'Count' }] }] },
    [name]: value,
  };
  process.stdout.write(`${JSON.stringify(metric)}\n`);
}
