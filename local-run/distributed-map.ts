import { ExecutionTimeoutError, type RunOptions, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { EXPRESS_EXECUTION_SECONDS } from '#shared/rules/run-limits';
import type { AslState, Json } from './asl-definition.ts';
import { countTransitions, failureOf, type OnTransition } from './execution.ts';
import type { StallAllowance } from './task-invoke.ts';

/** The in-process handler of each Task state, by state name. */
export type Handlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;

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

export interface ChildRuns {
  readonly handlers: Handlers;
  /** Aborts of the children running now, so whatever ends the parent ends them. */
  readonly children: Set<() => void>;
  readonly onTransition?: OnTransition | undefined;
  readonly noValidate: StateMachineOptions;
  readonly withStallAllowance: StallAllowance;
}
export type StateMachineOptions = ConstructorParameters<typeof StateMachine>[1];

/**
 * A Distributed Map as AWS runs it: each item is a child execution of its own (Express: 5 minutes at most), at most
 * MaxConcurrency at once; a failed child counts against ToleratedFailurePercentage/Count, and once they are exceeded
 * the Map fails with States.ExceedToleratedFailureThreshold, the running children are stopped and no queued item
 * starts. The output lists each child's output in item order (a failed child's: its Error and Cause).
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/maprun-fail-threshold.html
 */
export function distributedMap(map: AslState, parentArn: string, runs: ChildRuns) {
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
