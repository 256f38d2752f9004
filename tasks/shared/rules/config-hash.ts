import { createHash } from 'node:crypto';
import type { EnforcerConfig } from './config/schema.ts';

/**
 * Keys that do not change which contacts an account should have: a deploy that changes only these starts no run.
 * Every other key (mode, contacts, overrides, exclusions, and any added later) is part of the desired-state hash, so a
 * new setting that shapes the desired contacts starts a run without this list being touched.
 */
const NOT_DESIRED_STATE = new Set(['triggers', 'notifications', 'deployment', 'maxConcurrency', 'guardrail']);

/** Plain JSON with every object's keys sorted and undefined members dropped, so a hash depends on the configuration, not on how it was written. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  const members = Object.entries(value).filter(([, member]) => member !== undefined);
  return Object.fromEntries(members.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, member]) => [key, canonical(member)]));
}

const sha256 = (value: unknown) => createHash('sha256').update(JSON.stringify(canonical(value))).digest('hex');

/**
 * SHA-256 (hex) of the validated configuration (defaults applied; comments, key order and YAML style do not count): the
 * report names the configuration a run enforced without repeating its contact values.
 */
export function configHash(config: EnforcerConfig): string {
  return sha256(config);
}

/** SHA-256 (hex) of what the configuration wants of every account: the deploy-time run's key. */
export function desiredStateHash(config: EnforcerConfig): string {
  return sha256(Object.fromEntries(Object.entries(config).filter(([key]) => !NOT_DESIRED_STATE.has(key))));
}
