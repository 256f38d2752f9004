import { z } from 'zod';
import { eventObject, eventSchema } from './envelope.ts';

// Control Tower's and Organizations' own events arrive as CloudTrail service events, which reach EventBridge with or
// without a trail. https://docs.aws.amazon.com/controltower/latest/userguide/lifecycle-events.html
export const CLOUDTRAIL_SERVICE_EVENT = 'AWS Service Event via CloudTrail';

/** A CloudTrail service event of one source and event name, its serviceEventDetails shaped by the caller. */
export const serviceEvent = <S extends z.ZodRawShape>(source: string, eventName: string, serviceEventDetails: S) =>
  eventSchema({
    source,
    detailType: CLOUDTRAIL_SERVICE_EVENT,
    detail: eventObject({
      eventName: z.literal(eventName, { error: `must be ${eventName}` }),
      serviceEventDetails: eventObject(serviceEventDetails),
    }),
  });
