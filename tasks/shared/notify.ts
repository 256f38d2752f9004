import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';

const sns = new SNSClient({});
const secrets = new SecretsManagerClient({});

export async function publishToTopic(topicArn: string, subject: string, message: string): Promise<void> {
  await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: message }));
}

// Read once per container: the secret seldom changes, and a cold start is where the cost belongs.
let webhookUrl: Promise<string> | undefined;

function slackWebhook(secretName: string): Promise<string> {
  webhookUrl ??= secrets.send(new GetSecretValueCommand({ SecretId: secretName })).then(({ SecretString }) => {
    if (!SecretString?.trim()) throw new Error(`Secret ${secretName} holds no webhook URL`);
    return SecretString.trim();
  });
  // A failed read is not cached, so the next run tries again.
  webhookUrl.catch(() => (webhookUrl = undefined));
  return webhookUrl;
}

/**
 * Posts to a Slack incoming webhook. The URL is a credential: it never reaches a log, and any error text that could
 * carry it (fetch names the URL it failed to parse) has it redacted.
 */
export async function postToSlack(secretName: string, text: string): Promise<void> {
  const url = await slackWebhook(secretName);
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
    if (!response.ok) throw new Error(`Slack answered HTTP ${response.status}`);
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    // Only name and message travel on: the cause may name the URL too.
    throw Object.assign(new Error(failure.message.replaceAll(url, '[webhook]')), { name: failure.name });
  }
}
