/**
 * The state machine's tasks: one Lambda function each, built from `tasks/<name>.ts`, and one `${...}` substitution
 * each in statemachine/enforcer.asl.json. The stack and the local engine both map one to the other through here.
 * No CDK import, so the local engine can use it without loading aws-cdk-lib.
 */

/** One Lambda function per task; each is `tasks/<name>.ts`. */
export const TASKS = [
  'resolve-targets',
  'list-accounts',
  'load-chunk',
  'get-contacts',
  'compare-contacts',
  'put-contacts',
  'record-result',
  'report',
  'release-claim',
] as const;
export type TaskName = (typeof TASKS)[number];

export const pascalCase = (kebab: string): string => kebab.replace(/(^|-)([a-z])/g, (_match, _dash, letter: string) => letter.toUpperCase());

/** The ASL's substitution for a task's function ARN: `${GetContactsFunctionArn}` for get-contacts. */
export const functionArnSubstitution = (task: TaskName): string => `${pascalCase(task)}FunctionArn`;
