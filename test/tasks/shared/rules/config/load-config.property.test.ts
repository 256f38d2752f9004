import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { configSchema, loadConfig } from '#shared/rules/config';
import { CONTACT_TYPES, POLICIES } from '#shared/rules/contacts';
import { ConfigError } from '#shared/rules/errors';

/** Fixed seed, modest run counts: the file costs a few seconds, and a failure replays exactly. */
const RUNS = { seed: 20261204, numRuns: 60 } as const;

const EXAMPLE_TEXT = readFileSync(join(import.meta.dirname, '../../../../../config/alternate-contacts.yaml'), 'utf8');
const file = join(mkdtempSync(join(tmpdir(), 'enforcer-config-property-')), 'config.yaml');

/**
 * loadConfig's contract: a valid configuration, or a ConfigError. Anything else (a library's own error, a stack
 * overflow, a TypeError) is what the user would see raw, and fails the property.
 */
function loadsOrRefuses(bytes: Uint8Array | string): boolean {
  writeFileSync(file, bytes);
  try {
    const config = loadConfig(file);
    expect(configSchema.safeParse(config).success).toBe(true);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    expect(error.message).toMatch(/^Invalid configuration .*:\n {2}- /);
  }
  return true;
}

const exampleBytes = new TextEncoder().encode(EXAMPLE_TEXT);

/** YAML's own constructs, so random text reaches anchors, aliases, merge keys, tags, directives and flow collections. */
const yamlToken = fc.constantFrom(
  'a: &x [1, 2, 3]', 'b: *x', '- *x', '<<: *x', 'c: &y { d: *x, e: *x }', 'f: [*y, *y, *y]', '*undefined', '&', '*',
  '--- ', '...', '%YAML 1.2', '%TAG ! tag:example.com,2026:', '!!binary aGVsbG8=', '!!set { a, b }', '!!omap [ a: 1 ]', '!custom x', '!!int "x"',
  '? complex key', ': value', '|', '>-', '  indented', '\t', '"\\u0000"', "'unclosed", '[', ']', '{', '}', '#', 'contacts:', 'overrides:',
  '  SECURITY: { policy: delete }', '  organizationalUnits:', '    ou-ab12-cd34ef56: { OPERATIONS: { policy: delete } }', '0x1F', '1e400', '.nan', '~',
);
const yamlText = fc.array(fc.oneof(yamlToken, fc.string({ maxLength: 12 })), { maxLength: 24 }).map((lines) => lines.join('\n'));

/** Anchors of anchors, `width` aliases each, `depth` levels: from harmless to an alias bomb. */
const aliasChain = (width: number, depth: number) => [
  `a0: &a0 [${Array(width).fill('x').join(', ')}]`,
  ...Array.from({ length: depth }, (_, level) => `a${level + 1}: &a${level + 1} [${Array(width).fill(`*a${level}`).join(', ')}]`),
].join('\n');
const aliases = fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 })).map(([width, depth]) => aliasChain(width, depth));

/** Configurations built from the schema's own pieces, so the layers meet in every combination. */
const field = fc.oneof(fc.constantFrom('Ops', 'ops@example.com', '+1 555 0100', ''), fc.record({ tag: fc.constantFrom('ops-email', 'ops-phone') }));
const entry = fc.record(
  { name: field, title: field, email: field, phone: field, policy: fc.constantFrom(...POLICIES) },
  { requiredKeys: [] },
);
const perType = fc.dictionary(fc.constantFrom(...CONTACT_TYPES), entry, { maxKeys: 3 });
const layered = fc
  .record({
    contacts: perType,
    overrides: fc.record(
      {
        organizationalUnits: fc.dictionary(fc.constantFrom('ou-ab12-cd34ef56', 'ou-ab12-pr0d0001'), perType, { maxKeys: 2 }),
        tags: fc.dictionary(fc.constantFrom('env=sandbox', 'team=data', 'team=payments'), perType, { maxKeys: 3 }),
        accounts: fc.dictionary(fc.constantFrom('111122223333', '222222222222'), perType, { maxKeys: 2 }),
      },
      { requiredKeys: [] },
    ),
  })
  .map((config) => stringify(config));

describe('loadConfig: a valid configuration or a ConfigError, never anything else', () => {
  it('holds for random bytes, alone and after the example configuration', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.boolean(), (bytes, afterExample) => loadsOrRefuses(afterExample ? new Uint8Array([...exampleBytes, ...bytes]) : bytes)),
      RUNS,
    );
  });

  it('holds for random YAML documents: values of any shape, and YAML\'s anchors, aliases, tags and directives', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => loadsOrRefuses(stringify(value))), RUNS);
    fc.assert(fc.property(fc.oneof(yamlText, aliases), fc.boolean(), (text, beforeExample) => loadsOrRefuses(beforeExample ? `${text}\n${EXAMPLE_TEXT}` : text)), RUNS);
  });

  it('holds for configurations whose layers meet in every combination of policies, fields and tag references', () => {
    fc.assert(fc.property(layered, loadsOrRefuses), RUNS);
  });
});
