import type { RunWarning } from '../rules/model.ts';
import type { RunSummary } from '../report/model.ts';

/** The namespace of every metric the enforcer emits; the dashboard and the alarms read it from here. */
export const METRICS_NAMESPACE = 'AlternateContactsEnforcer';

/** The metric the report emits and the stack alarms on: both read it from here. */
export const FAILED_ACCOUNTS_METRIC = { namespace: METRICS_NAMESPACE, metricName: 'FailedAccounts' } as const;

/** What the Report task emits once per run, and the dashboard graphs. */
export const RUN_METRICS = {
  /** 1 per run, with the dimensions below. */
  runs: 'Runs',
  compliant: 'CompliantAccounts',
  changed: 'ChangedAccounts',
  drift: 'DriftAccounts',
  failed: FAILED_ACCOUNTS_METRIC.metricName,
} as const;
/** The Runs metric's dimensions: the trigger, and whether every account ended well. */
export const RUN_DIMENSIONS = ['Trigger', 'Status'] as const;

/** A call that stayed throttled after the SDK's own retries; the state machine retries it. */
export const THROTTLED_CALLS_METRIC = { namespace: METRICS_NAMESPACE, metricName: 'ThrottledCalls' } as const;

/** Metrics that share their dimensions (none when `dimensions` is absent). */
export interface MetricSet {
  readonly values: Readonly<Record<string, number>>;
  readonly dimensions?: Readonly<Record<string, string>>;
}

/**
 * Events and inputs refused as malformed: 1 in the Report task's line of a refused run, whichever state refused it,
 * next to Runs with Status REFUSED.
 */
const REFUSED_INPUTS_METRIC = { namespace: METRICS_NAMESPACE, metricName: 'RefusedInputs' } as const;

/**
 * An account-joined event without its account id at the assumed path: its run found the joined accounts
 * by JoinedTimestamp instead. 1 in the Report task's line of each such run, next to the report's warning.
 */
export const JOINED_ACCOUNT_ID_MISSING_METRIC = { namespace: METRICS_NAMESPACE, metricName: 'JoinedEventsWithoutAccountId' } as const;

/** The metric each report warning counts in, by its code. */
export const WARNING_METRICS: Record<RunWarning['code'], { readonly namespace: typeof METRICS_NAMESPACE; readonly metricName: string }> = {
  JoinedAccountIdMissing: JOINED_ACCOUNT_ID_MISSING_METRIC,
};

/**
 * Emits count metrics in the Embedded Metric Format: one structured log line, no API call.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export function emitMetrics(sets: readonly MetricSet[]): void {
  // Powertools' own switch, so a laptop run is not cluttered with metric lines.
  if (process.env['POWERTOOLS_METRICS_DISABLED'] === 'true') return;
  const line: Record<string, unknown> = {
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: sets.map(({ values, dimensions = {} }) => ({
        Namespace: METRICS_NAMESPACE,
        Dimensions: [Object.keys(dimensions)],
        Metrics: Object.keys(values).map((name) => ({ Name: name, Unit: 'Count' })),
      })),
    },
  };
  for (const { values, dimensions } of sets) Object.assign(line, dimensions, values);
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** One count metric without dimensions. */
export function emitCountMetric({ metricName }: { namespace: typeof METRICS_NAMESPACE; metricName: string }, value: number): void {
  emitMetrics([{ values: { [metricName]: value } }]);
}

/** The Runs metric's Status: a refused input, a run that left an account failed, or one that did not. */
const runStatus = ({ refusal, accountsFailed }: RunSummary) => (refusal ? 'REFUSED' : accountsFailed > 0 ? 'ACCOUNTS_FAILED' : 'SUCCEEDED');

/**
 * One EMF line per run: the dashboard's accounts per run, and the run itself by trigger and status. A refused run
 * looked at no account, so it counts the refusal instead: zeros would read as a dip in the accounts' graphs. Each
 * warning counts 1 in its own metric.
 */
export function emitRunMetrics(run: RunSummary): void {
  const values: MetricSet['values'] = run.refusal
    ? { [REFUSED_INPUTS_METRIC.metricName]: 1 }
    : {
        [RUN_METRICS.compliant]: run.accountsCompliant,
        [RUN_METRICS.changed]: run.accountsChanged,
        [RUN_METRICS.drift]: run.accountsDrifted,
        [RUN_METRICS.failed]: run.accountsFailed,
        ...Object.fromEntries((run.warnings ?? []).map((warning) => [WARNING_METRICS[warning.code].metricName, 1])),
      };
  emitMetrics([{ values }, { values: { [RUN_METRICS.runs]: 1 }, dimensions: { Trigger: run.trigger, Status: runStatus(run) } }]);
}
