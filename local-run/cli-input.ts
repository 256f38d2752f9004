import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MalformedInputError } from '#shared/rules/errors';
import { duplicateKeyIn } from '#shared/rules/input-shape';
import { PAYLOAD_LIMIT_BYTES } from '#shared/rules/run-limits';
import { parseRunInput, type RunInput } from '#shared/events/run-input';
import type { Options } from './cli-options.ts';


/** JSON text as the execution's input, or MalformedInputError naming the flag. */
function jsonInput(flag: string, text: string): unknown {
  const bytes = Buffer.byteLength(text);
  if (bytes > PAYLOAD_LIMIT_BYTES) throw new MalformedInputError(`${flag}: is ${Math.ceil(bytes / 1024)} KiB; Step Functions accepts at most 256 KiB of input`);
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw new MalformedInputError(`${flag}: is not JSON (${(error as Error).message})`);
  }
  const duplicate = duplicateKeyIn(text);
  if (duplicate) throw new MalformedInputError(duplicate);
  return input;
}

/** The execution input (the event file, the console JSON, or `{}`), parsed and checked before anything runs. */
export function executionInput(options: Options, cwd: string): { input: unknown; run: RunInput } {
  let input: unknown = {};
  if (options.event !== undefined) {
    let text: string;
    try {
      text = readFileSync(resolve(cwd, options.event), 'utf8');
    } catch (error) {
      throw new MalformedInputError(`--event: cannot read ${options.event} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    input = jsonInput('--event', text);
  } else if (options.input !== undefined) {
    input = jsonInput('--input', options.input);
  }
  const run = parseRunInput(input);
  if (options.event !== undefined && run.trigger === 'manual') {
    throw new MalformedInputError(`--event: ${options.event} holds console input, not an EventBridge event; give it with --input`);
  }
  return { input, run };
}

/** What the input asks for, in words, before the run starts. */
export function explain(run: RunInput): string {
  switch (run.trigger) {
    case 'manual': {
      const accounts = run.accountIds ? `${run.accountIds.length === 1 ? 'account' : 'accounts'} ${run.accountIds.join(', ')}` : 'the whole organization';
      return `console input: ${accounts}${run.dryRun ? ', dry run' : ''}`;
    }
    case 'schedule':
      return `scheduled event ${run.firing}: the whole organization`;
    case 'control-tower':
    case 'organizations':
      return `${run.trigger === 'control-tower' ? 'Control Tower CreateManagedAccount' : 'Organizations CreateAccountResult'} event, state ${run.state}: ${run.accountId ? `account ${run.accountId}` : 'no account to reconcile'}`;
    case 'account-joined':
      return `Organizations AccountJoinedOrganization event (${run.joinedMethod}): ${
        'joinedSearch' in run ? `no account id, so the accounts that joined between ${run.joinedSearch.from} and ${run.joinedSearch.to}` : `account ${run.accountId}`
      }`;
    case 'account-moved':
      return `Organizations MoveAccount event: account ${run.accountId}, at the parent Organizations names now`;
    case 'contact-changed':
      return `Account ${run.contactType} contact changed at ${run.eventTime}: account ${run.accountId}`;
    case 'deploy':
      return `configuration ${run.configHash.slice(0, 12)} deployed${run.firstDeploy ? ' with a new stack' : ''}: the whole organization`;
    case 'tag-change':
      return `Organizations tag change on ${run.resourceId}: ${run.accountId ? `account ${run.accountId}` : 'not an account, nothing to reconcile'}`;
  }
}

