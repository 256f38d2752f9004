import { z } from 'zod';

/**
 * Step Functions sends every Standard execution's status change to the account's default event bus. The ones that
 * end a run without reaching the state that releases its claim (a failure outside a Catch, a timeout, an abort) are
 * what release-claim listens for: the stack's rule matches them, and the local runner sends the same event for a run
 * it finds dead. https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html
 */
export const EXECUTION_STATUS_CHANGE = { source: 'aws.states', detailType: 'Step Functions Execution Status Change' } as const;

/** The statuses that end an execution other than by success. Catch cannot see a timeout or an abort. */
export const ENDED_WITHOUT_SUCCESS = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;

export const executionEndedEvent = z.looseObject({
  source: z.literal(EXECUTION_STATUS_CHANGE.source),
  'detail-type': z.literal(EXECUTION_STATUS_CHANGE.detailType),
  detail: z.looseObject({
    executionArn: z.string(),
    /** The execution name: the run's id. */
    name: z.string().min(1),
    status: z.enum(ENDED_WITHOUT_SUCCESS),
  }),
});

export type ExecutionEndedEvent = z.infer<typeof executionEndedEvent>;

/** The event, as Step Functions sends it, for an execution that ended with `status`. */
export function executionEnded(executionArn: string, status: ExecutionEndedEvent['detail']['status']): ExecutionEndedEvent {
  const name = executionArn.split(':').at(-1) ?? '';
  return { source: EXECUTION_STATUS_CHANGE.source, 'detail-type': EXECUTION_STATUS_CHANGE.detailType, detail: { executionArn, name, status } };
}
