import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExecutionError, type RunOptions, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { failureMessage } from '#shared/account-result';
import { functionArnSubstitution, TASKS } from '../infra/tasks.ts';

/**
 * Runs statemachine/enforcer.asl.json (the very file that deploys) in aws-local-stepfunctions, with each Task state
 * mapped in-process to the real handler under tasks/.
 */

export const DEFINITION_PATH = join(import.meta.dirname, '..', 'statemachine', 'enforcer.asl.json');
const TASKS_DIR = join(import.meta.dirname, '..', 'tasks');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface AslState {
  Type: string;
  Resource?: string;
  TimeoutSeconds?: number;
  Retry?: { ErrorEquals: string[]; IntervalSeconds?: number; BackoffRate?: number; MaxAttempts?: number; MaxDelaySeconds?: number }[];
  ItemProcessor?: { States: Record<string, AslState> };
}
interface AslDefinition {
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

// A Task state without TimeoutSeconds waits as long as its function runs on AWS; aws-local-stepfunctions would stop it
// after 60 s, which under a throttling storm is simulated time a task may really spend in SDK retries.
// https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html
const LAMBDA_MAX_TIMEOUT_SECONDS = 900;

function withLambdaTimeouts(definition: AslDefinition): AslDefinition {
  for (const [, state] of allStates(definition)) if (state.Type === 'Task') state.TimeoutSeconds ??= LAMBDA_MAX_TIMEOUT_SECONDS;
  return definition;
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
  /** Account the fake function ARNs live in. */
  readonly accountId: string;
  /** `${ManagementAccountRoleArn}`'s value. */
  readonly managementRoleArn: string;
  /** Called after each task invocation: progress, counting. */
  readonly onTask?: (call: TaskCall) => void;
  /** Called as each state is entered or retried, nested Map iterations included: state transitions, counted. */
  readonly onTransition?: (state: string, kind: 'entered' | 'retried') => void;
}

export interface Execution {
  readonly status: 'SUCCEEDED' | 'FAILED';
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

export async function createEngine(options: EngineOptions) {
  const raw = readDefinition();
  const functionArns: Record<string, string> = {};
  const handlers: NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']> = {};
  for (const [state, { Type, Resource }] of allStates(raw)) {
    if (Type !== 'Task' || !Resource) continue;
    const file = TASK_OF_RESOURCE.get(Resource);
    if (!file) throw new Error(`Task state ${state} names ${Resource}, which is no task in infra/tasks.ts`);
    functionArns[functionArnSubstitution(file)] = `arn:aws:lambda:us-east-1:${options.accountId}:function:alternate-contacts-${file}`;
    const module = (await import(join(TASKS_DIR, `${file}.ts`))) as { handler: Handler };
    handlers[state] = invoke(state, `alternate-contacts-${file}`, module.handler, options.onTask);
  }
  const definition = withLambdaTimeouts(substitute(raw, { ...functionArns, ManagementAccountRoleArn: options.managementRoleArn }));
  // The shipped definition is validated with asl-validator in both topologies by test/infra/policies.test.ts; validating
  // it again on every engine start would cost most of a second of CPU for each local run and end-to-end test file.
  const machine = new StateMachine(definition as unknown as StateMachineDefinition, { validationOptions: { noValidate: true } });

  return {
    definition,
    async execute(input: unknown, executionName: string): Promise<Execution> {
      const context = {
        Execution: {
          Id: `arn:aws:states:us-east-1:${options.accountId}:execution:alternate-contacts-enforcer:${executionName}`,
          Name: executionName,
          Input: input as Json,
          StartTime: new Date().toISOString(),
        },
      };
      const execution = machine.run(input as never, {
        context,
        // No retryIntervalOverrides: the engine then waits AWS's own schedule (IntervalSeconds × BackoffRate^attempt,
        // capped by MaxDelaySeconds, FULL jitter from Math.random), on the simulated clock with seeded jitter.
        overrides: { taskResourceLocalHandlers: handlers },
      });
      const transitions = options.onTransition && countTransitions(execution.eventLogs, options.onTransition);
      try {
        return { status: 'SUCCEEDED', output: await execution.result };
      } catch (error) {
        // The engine wraps the failing state's error; AWS reports that error itself, with its cause.
        const failure = error instanceof ExecutionError && error.cause instanceof Error ? error.cause : (error as Error);
        // A Lambda error's Cause is JSON and a Fail state's is plain text: both read `Name: message`.
        const message = failure.message ? `${failure.name}: ${failureMessage({ Error: failure.name, Cause: failure.message })}` : failure.name;
        return { status: 'FAILED', error: { name: failure.name, message } };
      } finally {
        await transitions;
      }
    },
  };
}

type EventLog = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

async function countTransitions(events: AsyncGenerator<EventLog>, onTransition: NonNullable<EngineOptions['onTransition']>): Promise<void> {
  for await (const event of events) {
    if (event.type === 'StateEntered') onTransition(event.state.name, 'entered');
    else if (event.type === 'StateRetried') onTransition(event.state.name, 'retried');
  }
}

function invoke(state: string, functionName: string, handler: Handler, onTask?: (call: TaskCall) => void) {
  const timeoutMs = LAMBDA_MAX_TIMEOUT_SECONDS * 1000;
  return async <T>(input: T): Promise<T> => {
    const started = Date.now();
    const durationMs = () => Date.now() - started;
    const context: LambdaContext = {
      functionName,
      awsRequestId: crypto.randomUUID(),
      getRemainingTimeInMillis: () => timeoutMs - durationMs(),
    };
    try {
      const output = overTheWire(await handler(overTheWire(input), context));
      onTask?.({ state, input, output, durationMs: durationMs() });
      return output as T;
    } catch (error) {
      onTask?.({ state, input, error: error as Error, durationMs: durationMs() });
      throw asLambdaError(error);
    }
  };
}

export type Engine = Awaited<ReturnType<typeof createEngine>>;
