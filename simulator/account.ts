import {
  ACCOUNT_API_RATES,
  ACCOUNT_SERVICE_PRINCIPAL,
  ACCOUNT_ID_MEMBER,
  ALTERNATE_CONTACT_TYPES,
  type AlternateContactType,
  CONTACT_MEMBERS,
  CONTACT_NOT_FOUND_MESSAGE,
  type ContactMember,
  explicitScpDeny,
  implicitScpDeny,
  type MemberRule,
  memberViolation,
  notAuthorized,
  STORED_FIELD_OF,
  type StoredContact,
} from './aws-facts.ts';
import { contactWriteEvent } from './cloudtrail-events.ts';
import { evaluateScps, policyArn, principalArnOf, type RequestContext } from './service-control-policies.ts';
import type { SimAccount } from './state.ts';
import { type Call, isDelegatedAdmin, type Quota, type Service, type Sim, SimError, stringInput, unknownOperation } from './service.ts';

/**
 * The Account Management API (restJson1): get, put and delete alternate contacts, checked against AWS's documented
 * rules as the simulator states them (aws-facts.ts).
 * https://docs.aws.amazon.com/accounts/latest/reference/API_PutAlternateContact.html
 */

const QUOTAS: Record<string, Quota> = Object.fromEntries(Object.entries(ACCOUNT_API_RATES).map(([op, rate]) => [op, { bucket: `account:${op}`, ...rate }]));

/**
 * A ValidationException as the Account API shapes it: the message names the member, fieldList says why.
 * https://docs.aws.amazon.com/accounts/latest/reference/API_ValidationException.html
 */
function validationError(member: string, constraint: string): SimError {
  const message = `1 validation error detected: Value at '${member}' failed to satisfy constraint: ${constraint}`;
  return new SimError('ValidationException', message, 400, { reason: 'fieldValidationFailed', fieldList: [{ name: member, message: constraint }] });
}

function validated(member: string, rule: MemberRule, value: unknown): string {
  const violation = memberViolation(rule, value);
  if (violation) throw validationError(member, violation);
  return value as string;
}

function contactType(call: Call): AlternateContactType {
  const type = call.input.AlternateContactType;
  if (!ALTERNATE_CONTACT_TYPES.includes(type as AlternateContactType)) {
    throw validationError('AlternateContactType', `Member must satisfy enum value set: [${ALTERNATE_CONTACT_TYPES.join(', ')}]`);
  }
  return type as AlternateContactType;
}

function contactOf(call: Call): StoredContact {
  const entries = Object.entries(CONTACT_MEMBERS).map(([member, rule]) => [STORED_FIELD_OF[member as ContactMember], validated(member, rule, call.input[member])]);
  return Object.fromEntries(entries) as unknown as StoredContact;
}

function notFound(): SimError {
  return new SimError('ResourceNotFoundException', CONTACT_NOT_FOUND_MESSAGE, 404);
}

export function accountService(sim: Sim): Service {
  const { state } = sim;

  // The Account API's resources: an account in standalone context, and a member addressed in organization context.
  const ownResource = (accountId: string) => `arn:aws:account::${accountId}:account`;
  const memberResource = (accountId: string) => `arn:aws:account::${state.managementAccountId}:account/${state.organizationId}/${accountId}`;
  const denied = (call: Call, op: string, resource: string, reason?: string) =>
    new SimError('AccessDeniedException', `${notAuthorized(call.caller.arn, `account:${op}`, resource)}${reason ? ` ${reason}` : ''}`, 403);

  /** The account a call acts on, after every rule AWS applies to who may call whom. */
  function target(op: string, call: Call): SimAccount {
    const accountId = stringInput(call, 'AccountId');
    // The API is global and signs in us-east-1; a client in another Region is refused, and it looks like missing IAM.
    // https://docs.aws.amazon.com/general/latest/gr/acct.html
    if (call.region !== 'us-east-1') throw denied(call, op, ownResource(call.caller.accountId));
    if (accountId === undefined) return sim.account(call.caller.accountId)!;

    validated('AccountId', ACCOUNT_ID_MEMBER, accountId);
    const member = memberResource(accountId);
    const mayUseAccountId = call.caller.accountId === state.managementAccountId || isDelegatedAdmin(state, call.caller.accountId, ACCOUNT_SERVICE_PRINCIPAL);
    if (!mayUseAccountId) throw denied(call, op, member);
    if (!state.trustedAccess) throw denied(call, op, member, `(trusted access for ${ACCOUNT_SERVICE_PRINCIPAL} is not enabled)`);
    // The management account is not a member: AccountId must never name it, it is handled in standalone context.
    // https://docs.aws.amazon.com/accounts/latest/reference/using-orgs-trusted-access.html
    if (accountId === state.managementAccountId) throw denied(call, op, member);
    const account = sim.account(accountId);
    if (!account) throw denied(call, op, member);
    return account;
  }

  /**
   * The SCPs above the caller's account (never the target's), in IAM's order: an explicit Deny refuses the call,
   * naming the policy; so does a level from the root down that no SCP allows it at.
   * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
   */
  function assertPermittedByScps(op: string, call: Call, type: AlternateContactType): void {
    const accountId = stringInput(call, 'AccountId');
    const resource = accountId ? memberResource(accountId) : ownResource(call.caller.accountId);
    const context: RequestContext = new Map([
      ['aws:principalarn', [principalArnOf(call.caller.arn)]],
      ['aws:principalaccount', [call.caller.accountId]],
      ['aws:requestedregion', [call.region]],
      ['account:alternatecontacttypes', [type]],
    ]);
    const action = `account:${op}`;
    const verdict = evaluateScps(state, sim.account(call.caller.accountId)!, action, resource, context);
    if (verdict.decision === 'explicitDeny') throw denied(call, op, resource, explicitScpDeny(policyArn(state, verdict.policy)));
    if (verdict.decision === 'implicitDeny') throw denied(call, op, resource, implicitScpDeny(action));
  }

  /** An account exists but cannot be acted on: closed or closing, or not ready yet. */
  function assertReachable(account: SimAccount, op: string, call: Call): void {
    const resource = ownResource(account.id);
    if (sim.stateOf(account) !== 'ACTIVE') throw denied(call, op, resource, `(account is ${sim.stateOf(account)})`);
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
