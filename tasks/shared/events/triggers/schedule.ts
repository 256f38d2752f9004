import { z } from 'zod';
import { eventSchema, isoTime, parseEvent } from '../envelope.ts';
import type { TriggerDefinition } from './trigger.ts';

const SOURCE = 'aws.scheduler';

/** What EventBridge Scheduler delivers when the state machine is its target with no input set. */
const scheduledEvent = eventSchema({
  source: SOURCE,
  detailType: 'Scheduled Event',
  // Scheduler sends an empty detail: anything in it is an operator's edit, which must not pass unseen.
  detail: z.strictObject({}, { error: 'must be an object' }),
  time: isoTime,
});

/** One firing of one schedule: its ARN and its scheduled time, the same on every delivery and retry of that firing. */
export interface ScheduleRun {
  readonly trigger: 'schedule';
  readonly firing: string;
}

/**
 * The nightly reconciliation of the whole organization: no rule, the schedule starts the state machine itself
 * (infra builds its input in the scheduled event's shape), and config.triggers.schedule is its expression.
 */
export const schedule: TriggerDefinition<ScheduleRun> = {
  trigger: 'schedule',
  source: SOURCE,
  parse(input) {
    const event = parseEvent(scheduledEvent, input);
    return { trigger: 'schedule', firing: `${event.resources?.[0] ?? 'schedule'}@${event.time}` };
  },
  // One firing, whichever delivery or retry carries it (Scheduler's execution id changes with every attempt).
  claimKey: (run) => `schedule:${run.firing}`,
  samples: ['scheduled-nightly.json'],
};
