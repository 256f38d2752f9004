import { GetSecretValueCommand, ResourceNotFoundException } from '@aws-sdk/client-secrets-manager';
import { PublishCommand } from '@aws-sdk/client-sns';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import type { TargetAccount } from '#shared/rules/model';
import { ENV } from '#shared/aws/env';
import { accounts, documents, fetchMock, lambdaContext, loadReport, plan, published, secrets, SLACK_SECRET, sns, storeRun, TOPIC, unchanged, useReportBench, WEBHOOK, work } from './report-support.ts';

useReportBench();

describe('the report messages and metrics', () => {
  it('posts the summary to the Slack webhook as JSON text', async () => {
    const { handler } = await loadReport();

    const report = await handler({ plan, work }, lambdaContext);

    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe(WEBHOOK);
    expect(JSON.parse(String(init?.body))).toEqual({ text: published()?.Message });
    expect(report.delivery).toEqual({ sns: 'SENT', slack: 'SENT' });
    expect(published()?.TopicArn).toBe(TOPIC);
  });

  it('reads the webhook secret once per container', async () => {
    const { handler } = await loadReport();

    await handler({ plan, work }, lambdaContext);
    await handler({ plan, work }, lambdaContext);

    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(secrets).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: SLACK_SECRET });
  });

  it('skips Slack when no webhook secret is configured', async () => {
    const { handler } = await loadReport({ [ENV.SLACK_SECRET_NAME]: undefined });

    const report = await handler({ plan, work }, lambdaContext);

    expect(report.delivery).toEqual({ sns: 'SENT', slack: 'SKIPPED' });
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('skips Slack while the webhook secret has no value yet, and reads it again next run', async () => {
    secrets.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT", $metadata: {} }));
    const { handler } = await loadReport();

    const report = await handler({ plan, work }, lambdaContext);
    await handler({ plan, work }, lambdaContext);

    expect(report.delivery).toEqual({ sns: 'SENT', slack: 'SKIPPED' });
    expect(fetchMock).not.toHaveBeenCalled();
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('skips SNS when no topic is configured', async () => {
    const { handler } = await loadReport({ [ENV.TOPIC_ARN]: undefined });

    const report = await handler({ plan, work }, lambdaContext);

    expect(report.delivery).toEqual({ sns: 'SKIPPED', slack: 'SENT' });
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it('records an SNS outage in the delivery and still stores the report', async () => {
    const { handler } = await loadReport();
    sns.on(PublishCommand).rejects(Object.assign(new Error('Service unavailable'), { name: 'InternalErrorException' }));

    const report = await handler({ plan, work }, lambdaContext);

    expect(report.delivery).toEqual({ sns: 'FAILED', slack: 'SENT', errors: ['sns: InternalErrorException: Service unavailable'] });
    expect(documents).toHaveReceivedCommandWith(PutCommand, { Item: expect.objectContaining({ item: 'REPORT', report }) });
  });

  it('records a Slack outage in the delivery', async () => {
    const { handler } = await loadReport();
    fetchMock.mockResolvedValue(new Response('no_service', { status: 503 }));

    const report = await handler({ plan, work }, lambdaContext);

    expect(report.delivery).toEqual({ sns: 'SENT', slack: 'FAILED', errors: ['slack: Error: Slack answered HTTP 503'] });
  });

  it('never lets the webhook URL reach a log line or the report', async () => {
    const output: string[] = [];
    const capture = (chunk: string | Uint8Array) => (output.push(String(chunk)), true);
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    const { handler } = await loadReport({ POWERTOOLS_LOG_LEVEL: 'DEBUG' });
    fetchMock.mockRejectedValue(new TypeError(`Failed to parse URL from ${WEBHOOK}`));

    const report = await handler({ plan, work }, lambdaContext);
    vi.restoreAllMocks();

    expect(output.join('')).toContain('Run reported');
    expect(output.join('')).not.toContain(WEBHOOK);
    expect(JSON.stringify(report)).not.toContain(WEBHOOK);
    expect(report.delivery.errors).toEqual(['slack: TypeError: Failed to parse URL from [webhook]']);
  });

  it('stays quiet after a scheduled run that changed and failed nothing', async () => {
    const { handler } = await loadReport();
    storeRun([[accounts[0] as TargetAccount]], unchanged);

    const report = await handler({ plan, work }, lambdaContext);

    expect(report.delivery).toEqual({ sns: 'SKIPPED', slack: 'SKIPPED' });
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it('still notifies about an uneventful run an operator started', async () => {
    const { handler } = await loadReport();
    storeRun([[accounts[0] as TargetAccount]], unchanged);

    await handler({ plan: { ...plan, trigger: 'manual' }, work }, lambdaContext);

    expect(sns).toHaveReceivedCommand(PublishCommand);
  });

  it('emits the FailedAccounts metric in the embedded metric format', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true));
    const { handler } = await loadReport({ POWERTOOLS_METRICS_DISABLED: undefined });

    await handler({ plan, work }, lambdaContext);
    vi.restoreAllMocks();
    process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';

    const metric = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => '_aws' in line);
    const count = (Name: string) => ({ Name, Unit: 'Count' });
    expect(metric).toMatchObject({
      FailedAccounts: 2,
      ChangedAccounts: 2,
      CompliantAccounts: 0,
      DriftAccounts: 0,
      Runs: 1,
      Trigger: 'schedule',
      Status: 'ACCOUNTS_FAILED',
      _aws: {
        CloudWatchMetrics: [
          { Namespace: 'AlternateContactsEnforcer', Dimensions: [[]], Metrics: ['CompliantAccounts', 'ChangedAccounts', 'DriftAccounts', 'FailedAccounts'].map(count) },
          { Namespace: 'AlternateContactsEnforcer', Dimensions: [['Trigger', 'Status']], Metrics: [count('Runs')] },
        ],
      },
    });
  });
});
