import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as errors from '#shared/rules/errors';

/**
 * The tie between the state machine's Retry and Catch and the errors the tasks throw: an ErrorEquals name that no task
 * throws never matches, and a retryable error that no Retry names fails the account at once instead of retrying.
 */
const ASL_FILE = 'statemachine/enforcer.asl.json';

// Names Step Functions itself raises: https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
const STATES_ERRORS = new Set([
  'States.ALL', 'States.DataLimitExceeded', 'States.ExceedToleratedFailureThreshold', 'States.HeartbeatTimeout', 'States.Http.Socket',
  'States.IntrinsicFailure', 'States.ItemReaderFailed', 'States.NoChoiceMatched', 'States.ParameterPathFailure', 'States.Permissions',
  'States.QueryEvaluationError', 'States.ResultPathMatchFailure', 'States.ResultWriterFailed', 'States.Runtime', 'States.TaskFailed', 'States.Timeout',
  'States.BranchFailed',
]);
// The Lambda service's own errors on an Invoke, which AWS recommends retrying:
// https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html
const LAMBDA_ERRORS = new Set(['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException', 'Lambda.ClientExecutionTimeoutException', 'Lambda.Unknown']);

interface Handler {
  readonly state: string;
  readonly kind: 'Retry' | 'Catch';
  readonly errorEquals: readonly string[];
}

/** Every Retry and Catch in a definition, nested Map and Parallel states included, with the state that holds it. */
function errorHandlers(node: unknown, state = ''): Handler[] {
  if (Array.isArray(node)) return node.flatMap((child) => errorHandlers(child, state));
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) => {
    if (key === 'Retry' || key === 'Catch') return (value as { ErrorEquals: string[] }[]).map((handler) => ({ state, kind: key, errorEquals: handler.ErrorEquals }));
    return errorHandlers(value, key === 'States' ? state : typeof value === 'object' && value !== null && 'Type' in value ? key : state);
  });
}

/** The name each error class in tasks/shared/rules/errors.ts gives its errors, with whether it is retryable. */
const ERROR_CLASSES = Object.entries(errors)
  .filter(([, value]) => typeof value === 'function' && value.prototype instanceof Error)
  .map(([className, errorClass]) => {
    const error = new (errorClass as new (...args: unknown[]) => Error & { retryable?: boolean })([], '');
    return { className, name: error.name, retryable: error.retryable === true };
  });

/** Whether some task module constructs the class (a class defined but never thrown would match nothing). */
const TASK_SOURCES = readdirSync('tasks', { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts'))
  .map((file) => readFileSync(join('tasks', file), 'utf8'));
const thrownInTasks = (className: string) => TASK_SOURCES.some((source) => source.includes(`new ${className}(`));

const handlers = errorHandlers(JSON.parse(readFileSync(ASL_FILE, 'utf8')));
const names = [...new Set(handlers.flatMap((handler) => handler.errorEquals))];

describe(`the error names in ${ASL_FILE}`, () => {
  it('are found: Retry and Catch in nested states too', () => {
    expect(handlers.map((handler) => handler.state)).toEqual(expect.arrayContaining(['ListAccounts', 'GetContacts', 'PutContacts']));
    expect(names).toEqual(expect.arrayContaining(['ThrottledError', 'AccountNotReadyError', 'States.ALL']));
  });

  it.each(names.filter((name) => !name.startsWith('States.') && !name.startsWith('Lambda.')))('%s is the name of an error class the tasks throw', (name) => {
    const errorClass = ERROR_CLASSES.find((known) => known.name === name);

    expect(errorClass, `${name}: no class in tasks/shared/rules/errors.ts has that name (${ERROR_CLASSES.map((known) => known.name).join(', ')})`).toBeDefined();
    expect(thrownInTasks(errorClass!.className), `${errorClass!.className} is never constructed under tasks/`).toBe(true);
  });

  it.each(names.filter((name) => name.startsWith('States.') || name.startsWith('Lambda.')))('%s is an error Step Functions or Lambda raises', (name) => {
    expect(STATES_ERRORS.has(name) || LAMBDA_ERRORS.has(name)).toBe(true);
  });

  it.each(ERROR_CLASSES.filter((known) => known.retryable).map((known) => known.name))('the retryable %s is named in some Retry', (name) => {
    expect(handlers.filter((handler) => handler.kind === 'Retry' && handler.errorEquals.includes(name)).map((handler) => handler.state)).not.toEqual([]);
  });

  it('reports a misspelt name: the check can fail', () => {
    const misspelt = errorHandlers({ States: { GetContacts: { Type: 'Task', Retry: [{ ErrorEquals: ['ThrottleError'] }] } } });

    expect(misspelt).toEqual([{ state: 'GetContacts', kind: 'Retry', errorEquals: ['ThrottleError'] }]);
    expect(ERROR_CLASSES.map((known) => known.name)).not.toContain('ThrottleError');
  });
});
