import { createHash } from 'node:crypto';
import type { EnforcerConfig } from './config.ts';

/**
 * Keys that do not change which contacts an account should have: a deploy that changes only these starts no run.
 * Every other key (mode, contacts, overrides, exclusions, and any added later) is part of the hash, so a new
 * setting that shapes the desired contacts starts a run without this list being touched.
 */
const NOT_DESIRED_STATE = new Set(['triggers', 'notifications', 'deployment', 'maxConcurrency']);

/** Plain JSON with every object's keys sorted, so the hash depends on the configuration, not on its key order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
}

/** SHA-256 (hex) of what the configuration wants of every account: the deploy-time run's key. */
export function desiredStateHash(config: EnforcerConfig): string {
  const desired = Object.fromEntries(Object.entries(config).filter(([key]) => !NOT_DESIRED_STATE.has(key)));
  return createHash('sha256').update(JSON.stringify(canonical(desired))).digest('hex');
}
