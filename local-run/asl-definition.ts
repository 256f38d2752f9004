import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_TIMEOUT_SECONDS } from '#shared/rules/run-limits';

/** statemachine/enforcer.asl.json as the local engine reads it: its states, nested Map processors included. */

const DEFINITION_PATH = join(import.meta.dirname, '..', 'statemachine', 'enforcer.asl.json');

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export interface AslState {
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
export function withLambdaTimeouts(definition: AslDefinition): AslDefinition {
  for (const [, state] of allStates(definition)) if (state.Type === 'Task') state.TimeoutSeconds ??= RUN_TIMEOUT_SECONDS;
  return definition;
}

export const isDistributed = (state: AslState) => state.Type === 'Map' && state.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED';

/** A Distributed Map becomes a Task state of the same name that distributedMap() serves; Catch, ResultPath and Next stay. */
export function asLocalTask({ ItemProcessor, ItemsPath, ItemSelector, MaxConcurrency, MaxConcurrencyPath, ToleratedFailurePercentage, ToleratedFailureCount, Label, ...rest }: AslState): AslState {
  return { ...rest, Type: 'Task', Resource: 'local:distributed-map', TimeoutSeconds: RUN_TIMEOUT_SECONDS };
}
