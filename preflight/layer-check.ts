import { accountConflicts, type EnforcerConfig } from '#shared/rules/config';
import type { OrganizationAccount } from '#shared/aws/organization';

/**
 * Where the configuration's layers contradict each other for an account of the real organization: an account override
 * below an OU override, or one carrying a tag override, resolves to a contact no single entry may hold. The file alone
 * cannot see that (it knows no OU path and no tag); the run would fail that type of that account. One line per account
 * and type, naming every path involved. Tags are read (ListTagsForResource) only when the configuration uses them.
 */
export async function layerConflictsIn(config: EnforcerConfig, accounts: readonly OrganizationAccount[]): Promise<string[]> {
  // Imported here: its module-scope clients read the environment the caller has just set (region, endpoint).
  const { includedWithTags } = await import('#shared/aws/organization');
  return (await includedWithTags(config, accounts)).flatMap(({ account, tags }) =>
    Object.entries(accountConflicts(config, account.id, account.ouPath, tags)).map(([type, lines]) => `account ${account.id} (${account.name}) ${type}: ${lines.join('; ')}`),
  );
}
