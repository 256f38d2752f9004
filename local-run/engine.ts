import { join } from 'node:path';
import { ExecutionAbortedError, ExecutionTimeoutError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { functionArnSubstitution, TASKS } from '../infra/tasks.ts';
import { type AslDefinition, asLocalTask, allStates, isDistributed, type Json, readDefinition, substitute, withLambdaTimeouts } from './asl-definition.ts';
import { distributedMap, type Handlers } from './distributed-map.ts';
import { countTransitions, type Execution, failureOf, type OnTransition } from './execution.ts';
import { type Handler, invoke, stallAllowance, type TaskCall } from './task-invoke.ts';

/**
 * Runs statemachine/enforcer.asl.json (the very file that deploys) in aws-local-stepfunctions, with each Task state
 * mapped in-process to the real handler under tasks/. Where the library is not AWS, this wraps it:
 * - a Distributed Map runs here (distributedMap): each item a child execution of its own with the Express 5-minute
 *   limit, ToleratedFailurePercentage/Count honoured, and no child started once the Map has failed;
 * - each task stops at its function's deployed timeout (TASK_TIMEOUT_SECONDS), as Lambda stops it;
 * - an execution ends SUCCEEDED, FAILED, TIMED_OUT (the definition's TimeoutSeconds) or ABORTED (abort()).
 * Its parts: asl-definition.ts (reading the definition), task-invoke.ts (a Task state's Lambda invocation),
 * distributed-map.ts (the Distributed Map), execution.ts (how an execution ends); importers take the names from here.
 */
export { allStates, type AslDefinition, readDefinition } from './asl-definition.ts';
export type { Execution } from './execution.ts';
export type { TaskCall } from './task-invoke.ts';

const TASKS_DIR = join(import.meta.dirname, '..', 'tasks');

/** `${GetContactsFunctionArn}` → get-contacts: the task whose handler a Task state's Resource names. */
const TASK_OF_RESOURCE = new Map(TASKS.map((task) => [`\${${functionArnSubstitution(task)}}`, task]));

export interface EngineOptions {
  /** The definition to run; tests of the engine itself may change a field of the shipped one. @default readDefinition() */
  readonly definition?: AslDefinition;
  /** Account the fake function ARNs live in. */
  readonly accountId: string;
  /** `${ManagementAccountRoleArn}`'s value. */
  readonly managementRoleArn: string;
  /** Called after each task invocation: progress, counting. */
  readonly onTask?: (call: TaskCall) => void;
  /**
   * Decides, after a task's function returned, whether its output is lost on the way back (Lambda answers
   * Lambda.ServiceException instead): the state machine's Retry then runs the task again, as on AWS.
   */
  readonly loseOutput?: (state: string) => boolean;
  /** Called as each state is entered or retried, nested Map iterations included: state transitions, counted. */
  readonly onTransition?: OnTransition;
  /**
   * How much of this machine's own time each limit allows on top of its simulated time (see STALL_ALLOWANCE_REAL_MS).
   * A test that runs into a limit on purpose, on an otherwise quick run, may shorten it. @default 5_000
   */
  readonly stallAllowanceRealMs?: number;
}

export async function createEngine(options: EngineOptions) {
  const raw = options.definition ?? readDefinition();
  const withStallAllowance = stallAllowance(options.stallAllowanceRealMs);
  const functionArns: Record<string, string> = {};
  const handlers: Handlers = {};
  for (const [state, { Type, Resource }] of allStates(raw)) {
    if (Type !== 'Task' || !Resource) continue;
    const file = TASK_OF_RESOURCE.get(Resource);
    if (!file) throw new Error(`Task state ${state} names ${Resource}, which is no task in infra/tasks.ts`);
    functionArns[functionArnSubstitution(file)] = `arn:aws:lambda:us-east-1:${options.accountId}:function:alternate-contacts-${file}`;
    const module = (await import(join(TASKS_DIR, `${file}.ts`))) as { handler: Handler };
    handlers[state] = invoke(state, file, module.handler, { ...options, withStallAllowance });
  }
  const definition = withLambdaTimeouts(substitute(raw, { ...functionArns, ManagementAccountRoleArn: options.managementRoleArn }));
  const distributed = Object.entries(definition.States).filter(([, state]) => isDistributed(state));
  const local: AslDefinition = { ...definition, States: Object.fromEntries(Object.entries(definition.States).map(([name, state]) => [name, isDistributed(state) ? asLocalTask(state) : state])) };
  // The shipped definition is validated with asl-validator in both topologies by test/infra/policies.test.ts; validating
  // it again on every engine start would cost most of a second of CPU for each local run and end-to-end test file.
  const noValidate = { validationOptions: { noValidate: true } } as const;
  const machine = new StateMachine(local as unknown as StateMachineDefinition, noValidate);

  return {
    definition,
    /** Starts an execution; abort() stops it as StopExecution would (status ABORTED). */
    start(input: unknown, executionName: string): { result: Promise<Execution>; abort: () => void } {
      const executionArn = `arn:aws:states:us-east-1:${options.accountId}:execution:alternate-contacts-enforcer:${executionName}`;
      const context = { Execution: { Id: executionArn, Name: executionName, Input: input as Json, StartTime: new Date().toISOString() } };
      const children = new Set<() => void>();
      const runHandlers: Handlers = { ...handlers };
      for (const [name, state] of distributed) {
        runHandlers[name] = distributedMap(state, executionArn, { handlers, children, onTransition: options.onTransition, noValidate, withStallAllowance });
      }
      const execution = machine.run(input as never, {
        context,
        // No retryIntervalOverrides: the engine then waits AWS's own schedule (IntervalSeconds × BackoffRate^attempt,
        // capped by MaxDelaySeconds, FULL jitter from Math.random), on the simulated clock with seeded jitter.
        overrides: { taskResourceLocalHandlers: runHandlers },
      });
      const transitions = options.onTransition && countTransitions(execution.eventLogs, options.onTransition);
      const result = (async (): Promise<Execution> => {
        try {
          return { status: 'SUCCEEDED', output: await execution.result };
        } catch (error) {
          if (error instanceof ExecutionTimeoutError) return { status: 'TIMED_OUT', error: { name: 'States.Timeout', message: 'States.Timeout: the execution ran past its TimeoutSeconds' } };
          if (error instanceof ExecutionAbortedError) return { status: 'ABORTED', error: { name: 'States.Aborted', message: 'States.Aborted: the execution was stopped' } };
          return { status: 'FAILED', error: failureOf(error) };
        } finally {
          // Whatever ended the execution ends its children too: no chunk runs on after its parent.
          for (const abort of children) abort();
          await transitions;
        }
      })();
      return { result, abort: () => execution.abort() };
    },
    execute(input: unknown, executionName: string): Promise<Execution> {
      return this.start(input, executionName).result;
    },
  };
}
