import { ExecutionError, type StateMachine } from 'aws-local-stepfunctions';
import { failureMessage } from '#shared/rules/account-result';

/** What an execution ends with, and what it passes through on the way: shared by the engine and its Distributed Map. */

export interface Execution {
  readonly status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  readonly output?: unknown;
  /** The failing state's error: its name, and `Name: message` as a report would show it. */
  readonly error?: { readonly name: string; readonly message: string };
}

/** Called as each state is entered or retried, nested Map iterations included. */
export type OnTransition = (state: string, kind: 'entered' | 'retried') => void;

/** The engine wraps the failing state's error; AWS reports that error itself, with its cause, as `Name: message`. */
export function failureOf(error: unknown): NonNullable<Execution['error']> {
  const failure = error instanceof ExecutionError && error.cause instanceof Error ? error.cause : (error as Error);
  // A Lambda error's Cause is JSON and a Fail state's is plain text: both read `Name: message`.
  const message = failure.message ? `${failure.name}: ${failureMessage({ Error: failure.name, Cause: failure.message })}` : failure.name;
  return { name: failure.name, message };
}

type EventLog = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

export async function countTransitions(events: AsyncGenerator<EventLog>, onTransition: OnTransition): Promise<void> {
  for await (const event of events) {
    if (event.type === 'StateEntered') onTransition(event.state.name, 'entered');
    else if (event.type === 'StateRetried') onTransition(event.state.name, 'retried');
  }
}
