import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '#shared/rules/config';
import { ConfigError } from '#shared/rules/errors';
import { freshApp } from './synth.ts';

/**
 * The contract between the config check and `cdk synth`: whatever loadConfig accepts, synth accepts too; whatever
 * it refuses gets one `path: rule` line per problem. Seeded, and few synths: a process's first synth costs about
 * 4 s here (cdk-nag included), each one after it about half a second.
 */
const SEED = 20261124;
const MUTATIONS = 200;
const MAX_SYNTHS = 3;

const EXAMPLE = parseYaml(readFileSync(join(import.meta.dirname, '../../config/alternate-contacts.yaml'), 'utf8')) as Record<string, unknown>;
const folder = mkdtempSync(join(tmpdir(), 'enforcer-config-property-'));

/** Values the config's fields are likely to get wrong: AWS-shaped strings, near misses, controls, non-ASCII, numbers. */
const cronField = fc.constantFrom('0', '3', '*', '?', '*/5', '0/15', '1-5', 'MON-FRI', 'JAN', 'L', '15W', '3#2', '6L', '61', '24', '32', 'a', '', '1,2', '2026');
const schedule = fc.oneof(
  fc.array(cronField, { minLength: 5, maxLength: 7 }).map((fields) => `cron(${fields.join(' ')})`),
  fc.tuple(fc.integer({ min: -1, max: 100 }), fc.constantFrom('minute', 'minutes', 'hour', 'hours', 'day', 'days', 'seconds')).map(([n, unit]) => `rate(${n} ${unit})`),
  fc.date({ min: new Date('1999-01-01'), max: new Date('2199-12-31'), noInvalidDate: true }).map((d) => `at(${d.toISOString().slice(0, 19)})`),
  fc.constantFrom('cron(0 3 * * ? *)', 'at(2027-02-30T00:00:00)'),
);
const value: fc.Arbitrary<unknown> = fc.oneof(
  schedule,
  fc.constantFrom('security@example.com', 'cloud-platform@example.com', 'CLOUD-PLATFORM@example.com', '+1 555 0100', 'ou-ab12-cd34ef56', '444444444444', '012345678901', 'o-a1b2c3d4e5', 'us-east-1', 'eu-west-1', 'enforce', 'audit', 'fill-missing', 'ignore', 'single', 'delegated', ''),
  fc.string({ unit: 'grapheme', maxLength: 70 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer({ min: -1, max: 1e12 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.constantFrom('cloud-platform@example.com', 'ops@example.com', 'x'), { maxLength: 3 }),
  fc.constant({ SECURITY: { name: 'Override' } }),
);
const newKey = fc.constantFrom('__proto__', 'constructor', 'extra', '444444444444', '12345', 'ou-ab12-cd34ef56', 'SECURITY', 'policy', 'name');

/** Every path into the example, containers included, so a mutation can land at any depth. */
function pathsOf(node: unknown, path: readonly string[] = []): string[][] {
  if (typeof node !== 'object' || node === null) return [[...path]];
  return [[...path], ...Object.entries(node).flatMap(([key, child]) => pathsOf(child, [...path, key]))];
}
const PATHS = pathsOf(EXAMPLE).filter((path) => path.length > 0);

interface Mutation {
  readonly path: readonly string[];
  readonly op: 'set' | 'delete' | 'add';
  readonly key: string;
  readonly value: unknown;
}
const mutation: fc.Arbitrary<Mutation> = fc.record({ path: fc.constantFrom(...PATHS), op: fc.constantFrom('set', 'set', 'delete', 'add'), key: newKey, value });

function apply(mutations: readonly Mutation[]): unknown {
  const config = JSON.parse(JSON.stringify(EXAMPLE)) as Record<string, unknown>;
  for (const { path, op, key, value: newValue } of mutations) {
    let parent: Record<string, unknown> | undefined = config;
    for (const step of path.slice(0, -1)) parent = parent?.[step] as Record<string, unknown> | undefined;
    if (typeof parent !== 'object' || parent === null) continue;
    const last = path.at(-1)!;
    const target = op === 'add' ? (parent[last] as Record<string, unknown>) : parent;
    if (typeof target !== 'object' || target === null) continue;
    if (op === 'delete') delete target[last];
    // defineProperty keeps __proto__ an own key, as YAML and JSON parsers do.
    else Object.defineProperty(target, op === 'add' ? key : last, { value: structuredClone(newValue), enumerable: true, writable: true, configurable: true });
  }
  return config;
}

let file = 0;
let synths = 0;

describe('loadConfig and cdk synth, for mutations of the example configuration', () => {
  it('either accepts, and synth succeeds, or refuses with one path-named line per problem', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const path = join(folder, `config-${file++}.json`);
        writeFileSync(path, JSON.stringify(apply(mutations)));
        let accepted = false;
        try {
          loadConfig(path);
          accepted = true;
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          for (const problem of error.problems) expect(problem).toMatch(/^\S.*?: \S/);
        }
        if (accepted && synths < MAX_SYNTHS) {
          synths++;
          expect(() => freshApp({ config: path }).synth()).not.toThrow();
        }
      }),
      { seed: SEED, numRuns: MUTATIONS },
    );
    expect(synths, 'accepted mutations that were synthesized').toBeGreaterThan(0);
  });

  it.each([
    ['a repeated notification e-mail', { notifications: { emails: ['ops@example.com', 'OPS@example.com'] } }, 'notifications.emails.1: repeats'],
    ['a cron with * in both day fields', { triggers: { schedule: 'cron(0 3 * * * *)' } }, 'triggers.schedule: must be'],
    ['a cron minute of 61', { triggers: { schedule: 'cron(61 3 * * ? *)' } }, 'triggers.schedule: must be'],
  ])('refuses %s before synth, which would otherwise accept or crash on it', (_case, change, message) => {
    const path = join(folder, `case-${file++}.json`);
    writeFileSync(path, JSON.stringify({ ...EXAMPLE, ...change }));

    expect(() => loadConfig(path)).toThrow(ConfigError);
    expect(() => loadConfig(path)).toThrow(message);
  });
});
