import { createHash } from 'node:crypto';
import type { EnforcerConfig } from './config.ts';

/** JSON with every object's keys sorted, so the same configuration always hashes the same, however it was written. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value).filter(([, member]) => member !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${members.map(([key, member]) => `${JSON.stringify(key)}:${canonical(member)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * SHA-256 of the validated configuration (defaults applied; comments, key order and YAML style do not count): the
 * report names the configuration a run enforced without repeating its contact values.
 */
export function configHash(config: EnforcerConfig): string {
  return createHash('sha256').update(canonical(config)).digest('hex');
}
