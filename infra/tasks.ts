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

/**
 * Each task's Lambda timeout, in seconds: the stack deploys these, and the local engine stops a task that runs longer,
 * as Lambda would. Two tasks see the whole organization at once: at 10,000 accounts list-accounts pages through
 * Organizations (a few requests a second) and report reads every result back; the rest handle one account or chunk.
 */
export const TASK_TIMEOUT_SECONDS: Readonly<Record<TaskName, number>> = {
  ...(Object.fromEntries(TASKS.map((task) => [task, 60])) as Record<TaskName, number>),
  'list-accounts': 15 * 60,
  report: 5 * 60,
};

export const pascalCase = (kebab: string): string => kebab.replace(/(^|-)([a-z])/g, (_match, _dash, letter: string) => letter.toUpperCase());

/** The ASL's substitution for a task's function ARN: `${GetContactsFunctionArn}` for get-contacts. */
export const functionArnSubstitution = (task: TaskName): string => `${pascalCase(task)}FunctionArn`;
