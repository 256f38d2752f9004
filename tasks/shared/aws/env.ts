/**
 * Environment variable names: the construct (infra/) sets them and the handlers read them,
 * both through these constants so the two cannot drift.
 */
/** The service every log line names: the tasks' Logger, and POWERTOOLS_SERVICE_NAME wherever the tasks run. */
export const SERVICE_NAME = 'alternate-contacts-enforcer';

export const ENV = {
  /** DynamoDB table with the run plan's chunks and each account's result. */
  RUN_TABLE: 'RUN_TABLE_NAME',
  /** DynamoDB table for Powertools idempotency. */
  IDEMPOTENCY_TABLE: 'IDEMPOTENCY_TABLE_NAME',
  /** Path of the validated configuration file bundled next to the handler. */
  CONFIG_FILE: 'ENFORCER_CONFIG_FILE',
  /** The account the enforcer runs in: handled in standalone context. */
  ENFORCER_ACCOUNT_ID: 'ENFORCER_ACCOUNT_ID',
  /** SNS topic for the report. */
  TOPIC_ARN: 'REPORT_TOPIC_ARN',
  /** Secrets Manager secret name holding the Slack webhook URL (optional). */
  SLACK_SECRET_NAME: 'SLACK_WEBHOOK_SECRET_NAME',
  /** S3 bucket for each run's report files (optional: a laptop run against AWS stores none). */
  REPORT_BUCKET: 'REPORT_BUCKET_NAME',
  /** Comma-separated role ARNs the put task writes contacts as: their own CloudTrail events start no run. */
  WRITER_ARNS: 'ENFORCER_WRITER_ARNS',
} as const;

/** Reads a required variable at module load, so a misconfigured function fails on its first invocation. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is required`);
  return value;
}
