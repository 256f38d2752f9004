import type { ClaimContext } from './trigger.ts';

/**
 * The claim of a run on one account, `account:<id>@<parent>`, which every account trigger shares: the account-created
 * events of Control Tower and of Organizations name the same account, so the second finds the claim taken and is
 * skipped. The parent is part of the key because Control Tower creates the account in the root and moves it to its
 * OU before its own event: once moved, OU overrides may want other contacts, and the second event runs. A joined
 * account and a moved one share it too: a CREATED account's joined event is a duplicate of its creation, and a move
 * claims the account at its new parent, read from Organizations rather than the event's word (two moves that end in
 * the same place are one run; a move and the creation events before it, at another parent, never block each other).
 */
export async function accountClaimKey(accountId: string | undefined, context: ClaimContext): Promise<string> {
  return accountId ? `account:${accountId}@${await context.parentIdOf(accountId)}` : 'account:unknown';
}
