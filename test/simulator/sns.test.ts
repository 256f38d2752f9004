import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, clientConfig, start, stopSimulator, T0, TOPIC_ARN } from './fixture.ts';

afterEach(stopSimulator);

describe('SNS', () => {
  it('records an SNS message', async () => {
    const { state } = await start();

    const { MessageId } = await new SNSClient(clientConfig(ADMIN)).send(new PublishCommand({ TopicArn: TOPIC_ARN, Subject: 'Report', Message: '<report & more>' }));

    expect(state.published).toEqual([{ messageId: MessageId, topicArn: TOPIC_ARN, subject: 'Report', message: '<report & more>', publishedAt: new Date(T0).toISOString() }]);
  });

  it('fails SNS Publish during an outage and records nothing', async () => {
    const { state } = await start();
    state.outages.sns = true;

    const call = new SNSClient(clientConfig(ADMIN)).send(new PublishCommand({ TopicArn: TOPIC_ARN, Message: 'report' }));

    await expect(call).rejects.toMatchObject({ $metadata: { httpStatusCode: 500 } });
    expect(state.published).toEqual([]);
  });
});
