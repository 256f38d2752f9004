import { CONTACT_TYPES, type ContactType } from '../contacts.ts';
import { FIELD_NAMES } from '../layer-conflicts.ts';
import type { EnforcerConfig } from './schema.ts';
import { type AccountTags, hasTag } from './tags.ts';

// What the configuration says about the organization as a whole: which accounts are out of reach, which types may be
// deleted, whether the accounts' tags must be read.

/** Every override layer of the configuration; `tags` may be absent in a configuration built by hand. */
const allOverrides = (config: EnforcerConfig) => [
  ...Object.values(config.overrides.organizationalUnits),
  ...Object.values(config.overrides.tags ?? {}),
  ...Object.values(config.overrides.accounts),
];

/** The types some account may resolve to `delete`: the default or any override says so. Only these may be deleted (IAM). */
export function deletableTypes(config: EnforcerConfig): ContactType[] {
  return CONTACT_TYPES.filter(
    (type) => config.contacts[type] && (config.contacts[type].policy === 'delete' || allOverrides(config).some((override) => override[type]?.policy === 'delete')),
  );
}

/** True when the configuration needs the accounts' tags: a tag exclusion, a tag override, or a field from a tag. */
export function usesTags(config: EnforcerConfig): boolean {
  const layers = [...Object.values(config.contacts), ...allOverrides(config).flatMap((override) => Object.values(override))];
  return (
    (config.exclusions.tags ?? []).length > 0 ||
    Object.keys(config.overrides.tags ?? {}).length > 0 ||
    layers.some((layer) => FIELD_NAMES.some((field) => typeof layer?.[field] === 'object'))
  );
}

/** True when the account, any OU above it, or one of its tags is excluded: such an account is never called at all. */
export function isExcluded(config: EnforcerConfig, accountId: string, ouPath: readonly string[], tags: AccountTags = {}): boolean {
  const { accountIds, organizationalUnitIds, tags: excludedTags = [] } = config.exclusions;
  return accountIds.includes(accountId) || ouPath.some((ou) => organizationalUnitIds.includes(ou)) || excludedTags.some((pair) => hasTag(tags, pair));
}
