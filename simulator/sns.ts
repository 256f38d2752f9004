import { randomUUID } from 'node:crypto';
import { requiredInput, type Service, type Sim, SimError, stringInput, unknownOperation } from './service.ts';

/**
 * Amazon SNS (awsQuery): Publish records the message in the state; `outages.sns` makes it fail as an outage would.
 * https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 */
export function snsService(sim: Sim): Service {
  return {
    protocol: 'awsQuery',
    handle: (op, call) => {
      if (op !== 'Publish') throw unknownOperation(op);
      const topicArn = requiredInput(call, 'TopicArn');
      const message = requiredInput(call, 'Message');
      if (!topicArn.startsWith('arn:aws:sns:')) throw new SimError('InvalidParameter', 'Invalid parameter: TopicArn');
      if (sim.state.outages.sns) throw new SimError('InternalError', 'Simulated SNS outage', 500);
      const messageId = randomUUID();
      sim.state.published.push({ messageId, topicArn, subject: stringInput(call, 'Subject'), message, publishedAt: new Date(sim.now()).toISOString() });
      return { MessageId: messageId };
    },
  };
}
