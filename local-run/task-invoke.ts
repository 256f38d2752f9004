import { installedClock } from '../simulator/clock.ts';
import { TASK_TIMEOUT_SECONDS, type TaskName } from '../infra/tasks.ts';

/** A Task state's invocation of its handler, as Lambda makes it: JSON in and out, errors as Lambda reports them, the timeout. */

export type Handler = (event: unknown, context: LambdaContext) => Promise<unknown>;
interface LambdaContext {
  functionName: string;
  awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

/**
 * Each limit below (a task's timeout, an Express child's 5 minutes) is simulated time plus this much of this machine's
 * own time: a Lambda has a CPU of its own, while a local run shares this one, and at a high speed-up a stall of a
 * fraction of a second would otherwise pass for minutes of a slow task.
 */
export const STALL_ALLOWANCE_REAL_MS = 5_000;
export const stallAllowance = (realMs = STALL_ALLOWANCE_REAL_MS) => (simulatedMs: number) => simulatedMs + realMs * (installedClock()?.speedup ?? 1);
export type StallAllowance = ReturnType<typeof stallAllowance>;

export interface TaskCall {
  readonly state: string;
  readonly input: unknown;
  readonly output?: unknown;
  readonly error?: Error;
  /** How long the invocation took, in (simulated) milliseconds: what Lambda would bill. */
  readonly durationMs: number;
}

export interface InvokeOptions {
  /** Called after each task invocation: progress, counting. */
  readonly onTask?: (call: TaskCall) => void;
  /** Decides, after a task's function returned, whether its output is lost on the way back (Lambda.ServiceException). */
  readonly loseOutput?: (state: string) => boolean;
  readonly withStallAllowance: StallAllowance;
}

/** Lambda passes JSON in and out; the round trip keeps local runs honest about what crosses the boundary. */
const overTheWire = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

/** Errors leave Lambda as {errorType, errorMessage}: Catch sees that JSON as Cause, and the type as Error. */
function asLambdaError(error: unknown): Error {
  const { name, message } = error instanceof Error ? error : new Error(String(error));
  return Object.assign(new Error(JSON.stringify({ errorType: name, errorMessage: message })), { name });
}

/**
 * A function stopped at its timeout is an unhandled Lambda error, which Step Functions reports as Lambda.Unknown.
 * https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html
 */
const LAMBDA_TIMEOUT_ERROR = 'Lambda.Unknown';

export function invoke(state: string, task: TaskName, handler: Handler, { onTask, loseOutput, withStallAllowance }: InvokeOptions) {
  const timeoutMs = TASK_TIMEOUT_SECONDS[task] * 1000;
  return async <T>(input: T): Promise<T> => {
    const started = Date.now();
    const durationMs = () => Date.now() - started;
    // The handler plans by the time left before it is stopped, which here includes this machine's stall allowance.
    const deadlineMs = withStallAllowance(timeoutMs);
    const context: LambdaContext = {
      functionName: `alternate-contacts-${task}`,
      awsRequestId: crypto.randomUUID(),
      getRemainingTimeInMillis: () => deadlineMs - durationMs(),
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Lambda ends an invocation at the function's timeout. Here the handler cannot be stopped, only no longer waited for.
    const timedOut = new Promise<never>((_, reject) => {
      const stop = () => reject(Object.assign(new Error(`Task timed out after ${timeoutMs / 1000} seconds`), { name: LAMBDA_TIMEOUT_ERROR }));
      timer = setTimeout(stop, deadlineMs);
    });
    try {
      const output = overTheWire(await Promise.race([handler(overTheWire(input), context), timedOut]));
      if (loseOutput?.(state)) throw Object.assign(new Error('The output of the invocation was lost'), { name: 'Lambda.ServiceException' });
      onTask?.({ state, input, output, durationMs: durationMs() });
      return output as T;
    } catch (error) {
      onTask?.({ state, input, error: error as Error, durationMs: durationMs() });
      throw asLambdaError(error);
    } finally {
      clearTimeout(timer);
    }
  };
}
