/**
 * The configuration's front door: its schema and types, reading a file, and what it asks of each account. Each
 * concern lives in its own module under config/; importers take the common names from here.
 * - config/schema.ts: the file's shape and its types; config/contact-schema.ts and config/tags.ts hold its parts,
 *   config/cross-checks.ts the rules that span several parts.
 * - config/load.ts: reading and validating a file; config/yaml-refusals.ts what a YAML document may not do.
 * - config/resolve.ts: the contacts one account should have, and where its layers contradict each other.
 * - config/targets.ts: exclusions, deletable types, and whether tags must be read.
 */
export { configSchema, type ConfigInput, type EnforcerConfig } from './config/schema.ts';
export type { AccountTags } from './config/tags.ts';
export { loadConfig, parseConfig } from './config/load.ts';
export { accountConflicts, resolveDesired, resolveSources } from './config/resolve.ts';
export { deletableTypes, isExcluded, usesTags } from './config/targets.ts';
