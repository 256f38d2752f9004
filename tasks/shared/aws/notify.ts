import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Report } from '../rules/model.ts';
import { describeError } from '../rules/errors.ts';

const sns = new SNSClient({});
const secrets = new SecretsManagerClient({});

async function publishToTopic(topicArn: string, subject: string, message: string): Promise<'SENT'> {
  await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: message }));
  return 'SENT';
}

// Read once per container: the secret seldom changes, and a cold start is where the cost belongs.
let webhookUrl: Promise<string | undefined> | undefined;

/**
 * The webhook URL, or undefined while the secret holds none: the stack creates it without a value (a URL never
 * belongs in a template), and Secrets Manager answers ResourceNotFound for a secret with no current version.
 */
function slackWebhook(secretName: string): Promise<string | undefined> {
  webhookUrl ??= secrets.send(new GetSecretValueCommand({ SecretId: secretName })).then(
    ({ SecretString }) => SecretString?.trim() || undefined,
    (error: unknown) => {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    },
  );
  // A failed or empty read is not cached, so the next run reads again.
  void webhookUrl.then(
    (url) => url ?? (webhookUrl = undefined),
    () => (webhookUrl = undefined),
  );
  return webhookUrl;
}

/**
 * Posts to a Slack incoming webhook. The URL is a credential: it never reaches a log, and any error text that could
 * carry it (fetch names the URL it failed to parse) has it redacted.
 */
async function postToSlack(secretName: string, text: string): Promise<'SENT' | 'SKIPPED'> {
  const url = await slackWebhook(secretName);
  if (!url) return 'SKIPPED';
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
    if (!response.ok) throw new Error(`Slack answered HTTP ${response.status}`);
    return 'SENT';
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    // Only name and message travel on: the cause may name the URL too.
    throw Object.assign(new Error(failure.message.replaceAll(url, '[webhook]')), { name: failure.name });
  }
}

/** Where the report's messages go; either may be absent (a run from a laptop against a real organization sends none). */
export interface MessageChannels {
  readonly topicArn?: string;
  readonly slackSecretName?: string;
}

/** Sends the message on each configured channel; never throws: each channel's outcome, and any error, is returned. */
export async function sendReportMessage({ topicArn, slackSecretName }: MessageChannels, subject: string, text: string): Promise<Report['delivery']> {
  const errors: string[] = [];
  const attempt = (channel: string, send: () => Promise<'SENT' | 'SKIPPED'>) =>
    send().catch((error: unknown) => {
      errors.push(`${channel}: ${describeError(error)}`);
      return 'FAILED' as const;
    });
  const [sns, slack] = await Promise.all([
    topicArn ? attempt('sns', () => publishToTopic(topicArn, subject, text)) : ('SKIPPED' as const),
    slackSecretName ? attempt('slack', () => postToSlack(slackSecretName, text)) : ('SKIPPED' as const),
  ]);
  return { sns, slack, ...(errors.length > 0 && { errors }) };
}
