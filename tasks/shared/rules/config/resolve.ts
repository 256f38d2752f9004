import { CONTACT_TYPES, contactFields, type ContactType, type DesiredContact, type DesiredContacts, type DesiredSource, type DesiredSources } from '../contacts.ts';
import { conflictLine, FIELD_NAMES, type FieldName, layerConflicts, resolvedPolicy } from '../layer-conflicts.ts';
import type { Override, TagReference } from './contact-schema.ts';
import type { EnforcerConfig } from './schema.ts';
import { type AccountTags, hasTag } from './tags.ts';

// What the configuration asks of one account, once its OU path and tags are known: the run and preflight ask here.

/** What one field resolved to: a value, or why it has none. */
type FieldOutcome = { readonly value: string } | { readonly problem: string };

/** The override layers that apply to one account, lowest first: each OU from the root down, its matching tags, the account. */
function overrideLayers(config: EnforcerConfig, accountId: string, ouPath: readonly string[], tags: AccountTags): { source: DesiredSource; path: string[]; override: Override | undefined }[] {
  return [
    ...ouPath.map((id) => ({ source: { layer: 'ou', id } as const, path: ['overrides', 'organizationalUnits', id], override: config.overrides.organizationalUnits[id] })),
    ...Object.entries(config.overrides.tags ?? {})
      .filter(([pair]) => hasTag(tags, pair))
      .map(([tag, override]) => ({ source: { layer: 'tag', tag } as const, path: ['overrides', 'tags', tag], override })),
    { source: { layer: 'account' } as const, path: ['overrides', 'accounts', accountId], override: config.overrides.accounts[accountId] },
  ];
}

/** One layer's entry for one type: the default's, or an override's. */
type TypeEntry = NonNullable<EnforcerConfig['contacts'][ContactType] | Override[ContactType]>;

/** The entries of one type that apply to one account, lowest first, each with its path: the default, then its overrides. */
function typeLayers(config: EnforcerConfig, type: ContactType, overrides: ReturnType<typeof overrideLayers>): { path: string[]; entry: TypeEntry }[] {
  const base = config.contacts[type];
  if (!base) return [];
  return [
    { path: ['contacts', type], entry: base },
    ...overrides.flatMap(({ path, override }) => (override?.[type] ? [{ path: [...path, type], entry: override[type] }] : [])),
  ];
}

/**
 * Where the layers that apply to one account contradict each other, per type, one `path: rule` line each. The file
 * alone cannot see an account's OU path or tags; the run and preflight can, and ask this.
 */
export function accountConflicts(config: EnforcerConfig, accountId: string, ouPath: readonly string[], tags: AccountTags = {}): Partial<Record<ContactType, string[]>> {
  const overrides = overrideLayers(config, accountId, ouPath, tags);
  const conflicts: Partial<Record<ContactType, string[]>> = {};
  for (const type of CONTACT_TYPES) {
    const lines = layerConflicts(typeLayers(config, type, overrides)).map(conflictLine);
    if (lines.length > 0) conflicts[type] = lines;
  }
  return conflicts;
}

/**
 * The contacts one account should have, layer over layer: defaults, each OU override from the root down (the nearest
 * OU wins), the tag overrides matching the account's tags, then the account override. A field may name an account
 * tag: a missing tag leaves the layer below in force; a value AWS would refuse fails that type, naming the tag.
 * Layers that contradict each other (accountConflicts) fail the type with every path involved, and nothing is done
 * for it. Types whose resolved policy is `ignore` are left out, so they are never read.
 */
export function resolveDesired(config: EnforcerConfig, accountId: string, ouPath: readonly string[], tags: AccountTags = {}): DesiredContacts {
  const overrides = overrideLayers(config, accountId, ouPath, tags);
  const desired: DesiredContacts = {};
  for (const type of CONTACT_TYPES) {
    const layers = typeLayers(config, type, overrides);
    if (layers.length === 0) continue;
    const policy = resolvedPolicy(layers);
    const conflicts = layerConflicts(layers);
    if (conflicts.length > 0) {
      desired[type] = { policy, problem: `the configuration's layers contradict each other: ${conflicts.map(conflictLine).join('; ')}` };
      continue;
    }
    if (policy === 'ignore') continue;
    const fields: Partial<Record<FieldName, FieldOutcome>> = {};
    for (const { entry } of layers) {
      for (const field of FIELD_NAMES) {
        const outcome = fieldOutcome(type, field, entry[field], tags);
        if (outcome) fields[field] = outcome;
      }
    }
    desired[type] = policy === 'delete' ? { policy } : wholeContact(policy, type, fields);
  }
  return desired;
}

/**
 * For each managed type, the layer resolveDesired took it from last: the account override, else the last matching tag
 * override, else the nearest OU that overrides the type, else the default. Ignored types are included, so a report can
 * say who decided to ignore them.
 */
export function resolveSources(config: EnforcerConfig, accountId: string, ouPath: readonly string[], tags: AccountTags = {}): DesiredSources {
  const layers = overrideLayers(config, accountId, ouPath, tags);
  const sources: DesiredSources = {};
  for (const type of CONTACT_TYPES) {
    if (!config.contacts[type]) continue;
    const setter = layers.findLast(({ override }) => Object.keys(override?.[type] ?? {}).length > 0);
    sources[type] = setter?.source ?? { layer: 'default' };
  }
  return sources;
}

/** A layer's value for one field; undefined when the layer leaves it to the layers below (no value, or a missing tag). */
function fieldOutcome(type: ContactType, field: FieldName, value: string | TagReference | undefined, tags: AccountTags): FieldOutcome | undefined {
  if (value === undefined || typeof value === 'string') return value === undefined ? undefined : { value };
  const tagged = tags[value.tag];
  if (tagged === undefined) return undefined;
  const parsed = contactFields[field].safeParse(tagged);
  // The reason names the tag and the rule, never the value: a contact's values stay out of logs and reports.
  if (!parsed.success) return { problem: `${type} ${field} from tag ${value.tag}: ${parsed.error.issues[0]?.message ?? 'is not valid'}` };
  return { value: parsed.data };
}

/**
 * The contact from its resolved fields, or the problem that fails the type. The load-time rules (overrideProblem)
 * give every field a layer; only a field that names a tag the account does not carry, with nothing below it, has none.
 */
function wholeContact(policy: 'enforce' | 'fill-missing', type: ContactType, fields: Partial<Record<FieldName, FieldOutcome>>): DesiredContact {
  const problems = FIELD_NAMES.flatMap((field) => {
    const outcome = fields[field];
    if (!outcome) return [`${type} ${field}: no value: its tag is not on the account and no layer below sets it`];
    return 'problem' in outcome ? [outcome.problem] : [];
  });
  if (problems.length > 0) return { policy, problem: problems.join('; ') };
  const value = (field: FieldName) => (fields[field] as { value: string }).value;
  return { policy, contact: { name: value('name'), title: value('title'), email: value('email'), phone: value('phone') } };
}
