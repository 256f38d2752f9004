import { AccountClient, GetAlternateContactCommand, PutAlternateContactCommand, ResourceNotFoundException } from '@aws-sdk/client-account';
import { compareContacts } from '#shared/rules/compare';
import { type EnforcerConfig, isExcluded, resolveDesired } from '#shared/rules/config';
import { contactOf, type ContactType } from '#shared/rules/contacts';
import type { CurrentContact, CurrentContacts } from '#shared/rules/model';
import { credentialsFor, ouPaths, type Simulator } from '../simulator/index.ts';

/**
 * The seed-style reconciliation, for comparison: one account after another, one type after another, get, compare,
 * put, with the SDK's default (standard) retries. Run against the simulator as the enforcer's own account.
 * Returns how many accounts ended with a failure.
 */
export async function sequentialLoop(simulator: Simulator, config: EnforcerConfig, callerAccountId: string): Promise<{ accounts: number; failed: number }> {
  const client = new AccountClient({ endpoint: simulator.url, region: 'us-east-1', credentials: credentialsFor(callerAccountId) });
  const paths = ouPaths(simulator.state);
  const accounts = simulator.state.accounts.filter((account) => account.status === 'ACTIVE' && !isExcluded(config, account.id, paths.get(account.id) ?? []));
  let failed = 0;
  for (const account of accounts) {
    // The caller's own account is reached in standalone context, without AccountId.
    const AccountId = account.id === callerAccountId ? undefined : account.id;
    const desired = resolveDesired(config, account.id, paths.get(account.id) ?? []);
    try {
      const current: CurrentContacts = {};
      for (const type of Object.keys(desired) as ContactType[]) current[type] = await read(client, AccountId, type);
      const { actions } = compareContacts(desired, current);
      for (const [type, { action }] of Object.entries(actions) as [ContactType, { action: string }][]) {
        const contact = contactOf(desired[type]);
        if ((action !== 'ASSIGN' && action !== 'UPDATE') || !contact) continue;
        await client.send(
          new PutAlternateContactCommand({ AccountId, AlternateContactType: type, Name: contact.name, Title: contact.title, EmailAddress: contact.email, PhoneNumber: contact.phone }),
        );
      }
    } catch {
      failed++;
    }
  }
  client.destroy();
  return { accounts: accounts.length, failed };
}

async function read(client: AccountClient, AccountId: string | undefined, type: ContactType): Promise<CurrentContact> {
  try {
    const { AlternateContact: found } = await client.send(new GetAlternateContactCommand({ AccountId, AlternateContactType: type }));
    return { status: 'FOUND', contact: { name: found?.Name ?? '', title: found?.Title ?? '', email: found?.EmailAddress ?? '', phone: found?.PhoneNumber ?? '' } };
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return { status: 'MISSING' };
    throw error;
  }
}
