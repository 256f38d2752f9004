import type { z } from 'zod';
import { ACCOUNT_API_QUOTAS } from '#shared/rules/pacing';
import { ACCOUNT_ID_PATTERN, CONTACT_TYPES, contactFields, type Contact, type ContactType } from '#shared/rules/contacts';
import { contactWriteEvent } from './cloudtrail.ts';
import { denyingPolicy, policyArn, principalArnOf, type RequestContext } from './service-control-policies.ts';
import type { SimAccount } from './state.ts';
import { type Call, isDelegatedAdmin, type Quota, type Service, type Sim, SimError, stringInput, unknownOperation } from './service.ts';

/**
 * The Account Management API (restJson1): get, put and delete alternate contacts, modelled on AWS's documented rules.
 * https://docs.aws.amazon.com/accounts/latest/reference/API_PutAlternateContact.html
 */

const SERVICE_PRINCIPAL = 'account.amazonaws.com';

// AWS's documented quotas, per caller account, as the product itself knows them (tasks/shared/rules/pacing.ts).
const QUOTAS: Record<string, Quota> = Object.fromEntries(
  Object.entries(ACCOUNT_API_QUOTAS).map(([op, quota]) => [op, { bucket: `account:${op}`, ...quota }]),
);

/** AWS's member names for the contact fields, with the rules tasks/shared/rules/contacts.ts already states. */
const FIELDS = [
  ['Name', 'name'],
  ['Title', 'title'],
  ['EmailAddress', 'email'],
  ['PhoneNumber', 'phone'],
] as const satisfies readonly (readonly [string, keyof Contact])[];

function validationError(member: string, constraint: string): SimError {
  const message = `1 validation error detected: Value at '${member}' failed to satisfy constraint: ${constraint}`;
  return new SimError('ValidationException', message, 400, { reason: 'fieldValidationFailed', fieldList: [{ name: member, message: constraint }] });
}

function validated(member: string, schema: z.ZodType<string>, value: unknown): string {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(member, `Member ${result.error.issues[0]?.message ?? 'is invalid'}`);
  return result.data;
}

function contactType(call: Call): ContactType {
  const type = call.input.AlternateContactType;
  if (!CONTACT_TYPES.includes(type as ContactType)) throw validationError('AlternateContactType', `Member must satisfy enum value set: [${CONTACT_TYPES.join(', ')}]`);
  return type as ContactType;
}

function contactOf(call: Call): Contact {
  const entries = FIELDS.map(([member, field]) => [field, validated(member, contactFields[field], call.input[member])]);
  return Object.fromEntries(entries) as Contact;
}

function notFound(): SimError {
  return new SimError('ResourceNotFoundException', 'No contact of the inputted alternate contact type found.', 404);
}

export function accountService(sim: Sim): Service {
  const { state } = sim;

  // The Account API's resources: an account in standalone context, and a member addressed in organization context.
  const ownResource = (accountId: string) => `arn:aws:account::${accountId}:account`;
  const memberResource = (accountId: string) => `arn:aws:account::${state.managementAccountId}:account/${state.organizationId}/${accountId}`;
  const notAuthorized = (call: Call, op: string, resource: string) => `User: ${call.caller.arn} is not authorized to perform: account:${op} on resource: ${resource}`;
  const denied = (call: Call, op: string, resource: string, reason?: string) =>
    new SimError('AccessDeniedException', `${notAuthorized(call, op, resource)}${reason ? ` (${reason})` : ''}`, 403);

  /** The account a call acts on, after every rule AWS applies to who may call whom. */
  function target(op: string, call: Call): SimAccount {
    const accountId = stringInput(call, 'AccountId');
    // The API is global and signs in us-east-1; a client in another Region is refused, and it looks like missing IAM.
    // https://docs.aws.amazon.com/general/latest/gr/acct.html
    if (call.region !== 'us-east-1') throw denied(call, op, ownResource(call.caller.accountId));
    if (accountId === undefined) return sim.account(call.caller.accountId)!;

    if (!ACCOUNT_ID_PATTERN.test(accountId)) throw validationError('AccountId', 'Member must satisfy regular expression pattern: ^\\d{12}$');
    const member = memberResource(accountId);
    const mayUseAccountId = call.caller.accountId === state.managementAccountId || isDelegatedAdmin(state, call.caller.accountId, SERVICE_PRINCIPAL);
    if (!mayUseAccountId) throw denied(call, op, member);
    if (!state.trustedAccess) throw denied(call, op, member, `trusted access for ${SERVICE_PRINCIPAL} is not enabled`);
    // The management account is not a member: AccountId must never name it, it is handled in standalone context.
    // https://docs.aws.amazon.com/accounts/latest/reference/using-orgs-trusted-access.html
    if (accountId === state.managementAccountId) throw denied(call, op, member);
    const account = sim.account(accountId);
    if (!account) throw denied(call, op, member);
    return account;
  }

  /**
   * The SCPs above the caller's account (never the target's): an explicit deny refuses the call, naming the policy
   * as AWS's access-denied messages do. https://aws.amazon.com/blogs/security/enhanced-access-denied-error-messages-with-policy-arns/
   */
  function assertPermittedByScps(op: string, call: Call, type: ContactType): void {
    const accountId = stringInput(call, 'AccountId');
    const resource = accountId ? memberResource(accountId) : ownResource(call.caller.accountId);
    const context: RequestContext = new Map([
      ['aws:principalarn', [principalArnOf(call.caller.arn)]],
      ['aws:principalaccount', [call.caller.accountId]],
      ['aws:requestedregion', [call.region]],
      ['account:alternatecontacttypes', [type]],
    ]);
    const policy = denyingPolicy(state, sim.account(call.caller.accountId)!, `account:${op}`, resource, context);
    if (policy) throw new SimError('AccessDeniedException', `${notAuthorized(call, op, resource)} with an explicit deny in a service control policy: ${policyArn(state, policy)}`, 403);
  }

  /** An account exists but cannot be acted on: closed or closing, not ready yet, or denied by policy. */
  function assertReachable(account: SimAccount, op: string, call: Call): void {
    const resource = ownResource(account.id);
    if (sim.stateOf(account) !== 'ACTIVE') throw denied(call, op, resource, `account is ${sim.stateOf(account)}`);
    if (account.deny) throw denied(call, op, resource, account.deny);
    // Same message as a missing permission, as AWS gives it: only the caller's timing can tell them apart.
    if (!sim.isReady(account)) throw denied(call, op, resource);
  }

  function handle(op: string, call: Call): unknown {
    if (!(op in QUOTAS)) throw unknownOperation(op);
    const type = contactType(call);
    const contact = op === 'PutAlternateContact' ? contactOf(call) : undefined;
    const account = target(op, call);
    assertPermittedByScps(op, call, type);
    assertReachable(account, op, call);

    const current = account.contacts[type];
    const accountId = stringInput(call, 'AccountId');
    const recorded = (write: 'PutAlternateContact' | 'DeleteAlternateContact') => {
      sim.recordEvent(contactWriteEvent({ op: write, caller: call.caller, type, at: new Date(sim.now()), ...(accountId && { accountId }) }));
      return {};
    };
    if (contact) {
      account.contacts[type] = contact;
      return recorded('PutAlternateContact');
    }
    if (!current) throw notFound();
    if (op === 'DeleteAlternateContact') {
      delete account.contacts[type];
      return recorded('DeleteAlternateContact');
    }
    return {
      AlternateContact: { AlternateContactType: type, Name: current.name, Title: current.title, EmailAddress: current.email, PhoneNumber: current.phone },
    };
  }

  return {
    protocol: 'restJson1',
    targetOf: (_op, call) => {
      const accountId = stringInput(call, 'AccountId');
      return accountId ?? call.caller.accountId;
    },
    isStandalone: (call) => stringInput(call, 'AccountId') === undefined,
    quotaOf: (op) => QUOTAS[op],
    handle,
  };
}
