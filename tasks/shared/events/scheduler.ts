import { z } from 'zod';
import { type EventParser, eventSchema, isoTime, parseEvent } from './envelope.ts';

/** What EventBridge Scheduler delivers when the state machine is its target with no input set. */
const scheduledEvent = eventSchema({
  source: 'aws.scheduler',
  detailType: 'Scheduled Event',
  // Scheduler sends an empty detail: anything in it is an operator's edit, which must not pass unseen.
  detail: z.strictObject({}, { error: 'must be an object' }),
  time: isoTime,
});

export const schedulerScheduledEvent: EventParser = {
  source: 'aws.scheduler',
  trigger: 'schedule',
  parse(input) {
    const event = parseEvent(scheduledEvent, input);
    // One firing of one schedule: its ARN and its scheduled time, the same on every delivery and retry of that firing.
    return { trigger: 'schedule', firing: `${event.resources?.[0] ?? 'schedule'}@${event.time}` };
  },
};
