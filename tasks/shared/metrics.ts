/** The metric the report emits and the stack alarms on: both read it from here. */
export const FAILED_ACCOUNTS_METRIC = { namespace: 'AlternateContactsEnforcer', metricName: 'FailedAccounts' } as const;

/** Events and inputs refused as malformed (an AccountJoinedOrganization without its account id among them). */
export const REFUSED_INPUTS_METRIC = { namespace: 'AlternateContactsEnforcer', metricName: 'RefusedInputs' } as const;

/**
 * Emits a CloudWatch count metric in the Embedded Metric Format: one structured log line, no API call, no dimensions.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export function emitCountMetric({ namespace, metricName }: { namespace: string; metricName: string }, value: number): void {
  // Powertools' own switch, so a laptop run is not cluttered with metric lines.
  if (process.env['POWERTOOLS_METRICS_DISABLED'] === 'true') return;
  const metric = {
    _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [[]], Metrics: [{ Name: metricName, Unit: 'Count' }] }] },
    [metricName]: value,
  };
  process.stdout.write(`${JSON.stringify(metric)}\n`);
}
