import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExecutionAbortedError, ExecutionError, ExecutionTimeoutError, type RunOptions, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { failureMessage } from '#shared/rules/account-result';
import { EXPRESS_EXECUTION_SECONDS, RUN_TIMEOUT_SECONDS } from '#shared/rules/run-limits';
import { functionArnSubstitution, TASK_TIMEOUT_SECONDS, TASKS, type TaskName } from '../infra/tasks.ts';
import { installedClock } from '../simulator/clock.ts';

/**
 * Runs statemachine/enforcer.asl.json (the very file that deploys) in aws-local-stepfunctions, with each Task state
 * mapped in-process to the real handler under tasks/. Where the library is not AWS, this wraps it:
 * - a Distributed Map runs here (distributedMap): each item a child execution of its own with the Express 5-minute
 *   limit, ToleratedFailurePercentage/Count honoured, and no child started once the Map has failed;
 * - each task stops at its function's deployed timeout (TASK_TIMEOUT_SECONDS), as Lambda stops it;
 * - an execution ends SUCCEEDED, FAILED, TIMED_OUT (the definition's TimeoutSeconds) or ABORTED (abort()).
 */

export const DEFINITION_PATH = join(import.meta.dirname, '..', 'statemachine', 'enforcer.asl.json');
const TASKS_DIR = join(import.meta.dirname, '..', 'tasks');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface AslState {
  Type: string;
  Resource?: string;
  TimeoutSeconds?: number;
  Retry?: { ErrorEquals: string[]; IntervalSeconds?: number; BackoffRate?: number; MaxAttempts?: number; MaxDelaySeconds?: number }[];
  ItemProcessor?: AslDefinition & { ProcessorConfig?: { Mode?: string; ExecutionType?: string } };
  ItemsPath?: string;
  ItemSelector?: Record<string, Json>;
  MaxConcurrency?: number;
  MaxConcurrencyPath?: string;
  ToleratedFailurePercentage?: number;
  ToleratedFailureCount?: number;
  [field: string]: unknown;
}
export interface AslDefinition {
  StartAt?: string;
  TimeoutSeconds?: number;
  States: Record<string, AslState>;
}
type Handler = (event: unknown, context: LambdaContext) => Promise<unknown>;
interface LambdaContext {
  functionName: string;
  awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

/** `${GetContactsFunctionArn}` → get-contacts: the task whose handler a Task state's Resource names. */
const TASK_OF_RESOURCE = new Map(TASKS.map((task) => [`\${${functionArnSubstitution(task)}}`, task]));

/** Every state of the definition, nested Map processors included (state names are unique machine-wide). */
export function allStates(definition: AslDefinition): [string, AslState][] {
  return Object.entries(definition.States).flatMap(([name, state]) => [
    [name, state] as [string, AslState],
    ...(state.ItemProcessor ? allStates(state.ItemProcessor) : []),
  ]);
}

export function readDefinition(): AslDefinition {
  return JSON.parse(readFileSync(DEFINITION_PATH, 'utf8')) as AslDefinition;
}

/** Replaces `${Name}` placeholders the way definitionSubstitutions does at deploy time. */
export function substitute(definition: AslDefinition, values: Record<string, string>): AslDefinition {
  const text = JSON.stringify(definition).replace(/\$\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
  return JSON.parse(text) as AslDefinition;
}

// A Task state without TimeoutSeconds waits as long as its function runs on AWS, which stops it at its own timeout
// (invoke, below); aws-local-stepfunctions would stop it after 60 s. https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html
function withLambdaTimeouts(definition: AslDefinition): AslDefinition {
  for (const [, state] of allStates(definition)) if (state.Type === 'Task') state.TimeoutSeconds ??= RUN_TIMEOUT_SECONDS;
  return definition;
}

/**
 * Each limit below (a task's timeout, an Express child's 5 minutes) is simulated time plus this much of this machine's
 * own time: a Lambda has a CPU of its own, while a local run shares this one, and at a high speed-up a stall of a
 * fraction of a second would otherwise pass for minutes of a slow task.
 */
const STALL_ALLOWANCE_REAL_MS = 5_000;
const stallAllowance = (realMs = STALL_ALLOWANCE_REAL_MS) => (simulatedMs: number) => simulatedMs + realMs * (installedClock()?.speedup ?? 1);
type StallAllowance = ReturnType<typeof stallAllowance>;

const isDistributed = (state: AslState) => state.Type === 'Map' && state.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED';

/** A Distributed Map becomes a Task state of the same name that distributedMap() serves; Catch, ResultPath and Next stay. */
function asLocalTask({ ItemProcessor, ItemsPath, ItemSelector, MaxConcurrency, MaxConcurrencyPath, ToleratedFailurePercentage, ToleratedFailureCount, Label, ...rest }: AslState): AslState {
  return { ...rest, Type: 'Task', Resource: 'local:distributed-map', TimeoutSeconds: RUN_TIMEOUT_SECONDS };
}

export interface TaskCall {
  readonly state: string;
  readonly input: unknown;
  readonly output?: unknown;
  readonly error?: Error;
  /** How long the invocation took, in (simulated) milliseconds: what Lambda would bill. */
  readonly durationMs: number;
}

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
  readonly onTransition?: (state: string, kind: 'entered' | 'retried') => void;
  /**
   * How much of this machine's own time each limit allows on top of its simulated time (see STALL_ALLOWANCE_REAL_MS).
   * A test that runs into a limit on purpose, on an otherwise quick run, may shorten it. @default 5_000
   */
  readonly stallAllowanceRealMs?: number;
}

export interface Execution {
  readonly status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  readonly output?: unknown;
  /** The failing state's error: its name, and `Name: message` as a report would show it. */
  readonly error?: { readonly name: string; readonly message: string };
}

/** Lambda passes JSON in and out; the round trip keeps local runs honest about what crosses the boundary. */
const overTheWire = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

/** Errors leave Lambda as {errorType, errorMessage}: Catch sees that JSON as Cause, and the type as Error. */
function asLambdaError(error: unknown): Error {
  const { name, message } = error instanceof Error ? error : new Error(String(error));
  return Object.assign(new Error(JSON.stringify({ errorType: name, errorMessage: message })), { name });
}

type Handlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;

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

/** The engine wraps the failing state's error; AWS reports that error itself, with its cause, as `Name: message`. */
function failureOf(error: unknown): NonNullable<Execution['error']> {
  const failure = error instanceof ExecutionError && error.cause instanceof Error ? error.cause : (error as Error);
  // A Lambda error's Cause is JSON and a Fail state's is plain text: both read `Name: message`.
  const message = failure.message ? `${failure.name}: ${failureMessage({ Error: failure.name, Cause: failure.message })}` : failure.name;
  return { name: failure.name, message };
}

/** `$`, `$.a.b`, `$$.Map.Item.Value` or `$$.Map.Item.Index`: the paths the definition's Distributed Map uses. */
function valueAt(path: string, input: unknown, item?: { value: unknown; index: number }): unknown {
  if (path === '$$.Map.Item.Value' && item) return item.value;
  if (path === '$$.Map.Item.Index' && item) return item.index;
  if (path !== '$' && !path.startsWith('$.')) throw new Error(`local engine: the Distributed Map path ${path} is not supported`);
  return path.split('.').slice(1).reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], input);
}

function selected(template: Record<string, Json>, input: unknown, item: { value: unknown; index: number }): Record<string, unknown> {
  return Object.fromEntries(Object.entries(template).map(([key, value]) => (key.endsWith('.$') ? [key.slice(0, -2), valueAt(String(value), input, item)] : [key, value])));
}

interface ChildRuns {
  readonly handlers: Handlers;
  /** Aborts of the children running now, so whatever ends the parent ends them. */
  readonly children: Set<() => void>;
  readonly onTransition?: EngineOptions['onTransition'];
  readonly noValidate: StateMachineOptions;
  readonly withStallAllowance: StallAllowance;
}
type StateMachineOptions = ConstructorParameters<typeof StateMachine>[1];

/**
 * A Distributed Map as AWS runs it: each item is a child execution of its own (Express: 5 minutes at most), at most
 * MaxConcurrency at once; a failed child counts against ToleratedFailurePercentage/Count, and once they are exceeded
 * the Map fails with States.ExceedToleratedFailureThreshold, the running children are stopped and no queued item
 * starts. The output lists each child's output in item order (a failed child's: its Error and Cause).
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/maprun-fail-threshold.html
 */
function distributedMap(map: AslState, parentArn: string, runs: ChildRuns) {
  const express = map.ItemProcessor?.ProcessorConfig?.ExecutionType === 'EXPRESS';
  const processor = { ...map.ItemProcessor!, TimeoutSeconds: express ? runs.withStallAllowance(EXPRESS_EXECUTION_SECONDS * 1000) / 1000 : undefined };
  const child = new StateMachine(processor as unknown as StateMachineDefinition, runs.noValidate);
  return async (input: unknown): Promise<Json[]> => {
    const items = valueAt(map.ItemsPath ?? '$', input) as unknown[];
    const concurrency = Number(map.MaxConcurrencyPath ? valueAt(map.MaxConcurrencyPath, input) : (map.MaxConcurrency ?? 0)) || items.length;
    const outputs: Json[] = new Array<Json>(items.length).fill(null);
    let failures = 0;
    let exceeded = false;
    let next = 0;
    const tooMany = () =>
      failures > (map.ToleratedFailureCount ?? (map.ToleratedFailurePercentage === undefined ? 0 : Infinity)) ||
      (failures * 100) / items.length > (map.ToleratedFailurePercentage ?? (map.ToleratedFailureCount === undefined ? 0 : 100));
    const runChild = async (index: number) => {
      const value = items[index];
      const childInput = map.ItemSelector ? selected(map.ItemSelector, input, { value, index }) : value;
      const name = `${parentArn.split(':').at(-1)}/${index}`;
      const execution = child.run(childInput as never, {
        context: { Execution: { Id: `${parentArn}/${index}`, Name: name, Input: childInput as Json, StartTime: new Date().toISOString() } },
        overrides: { taskResourceLocalHandlers: runs.handlers },
      });
      runs.children.add(execution.abort);
      const transitions = runs.onTransition && countTransitions(execution.eventLogs, runs.onTransition);
      try {
        outputs[index] = (await execution.result) as Json;
      } catch (error) {
        const { name: Error, message: Cause } = error instanceof ExecutionTimeoutError ? { name: 'States.Timeout', message: 'States.Timeout: the child execution ran past its 5 minutes' } : failureOf(error);
        outputs[index] = { Error, Cause };
        failures += 1;
        if (!exceeded && tooMany()) {
          exceeded = true;
          for (const abort of runs.children) abort();
        }
      } finally {
        runs.children.delete(execution.abort);
        await transitions;
      }
    };
    const worker = async () => {
      while (!exceeded && next < items.length) await runChild(next++);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
    if (exceeded) {
      const message = `States.ExceedToleratedFailureThreshold: ${failures} of ${items.length} child executions failed, more than the Map tolerates`;
      throw Object.assign(new Error(message), { name: 'States.ExceedToleratedFailureThreshold' });
    }
    return outputs;
  };
}

type EventLog = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

async function countTransitions(events: AsyncGenerator<EventLog>, onTransition: NonNullable<EngineOptions['onTransition']>): Promise<void> {
  for await (const event of events) {
    if (event.type === 'StateEntered') onTransition(event.state.name, 'entered');
    else if (event.type === 'StateRetried') onTransition(event.state.name, 'retried');
  }
}

/**
 * A function stopped at its timeout is an unhandled Lambda error, which Step Functions reports as Lambda.Unknown.
 * https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html
 */
const LAMBDA_TIMEOUT_ERROR = 'Lambda.Unknown';

function invoke(state: string, task: TaskName, handler: Handler, { onTask, loseOutput, withStallAllowance }: Pick<EngineOptions, 'onTask' | 'loseOutput'> & { readonly withStallAllowance: StallAllowance }) {
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

export type Engine = Awaited<ReturnType<typeof createEngine>>;
