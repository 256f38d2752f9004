import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedInputError } from '#shared/rules/errors';
import { ENVELOPE_KEYS } from '#shared/events/envelope';
import { pathText } from '#shared/rules/input-shape';
import { parseRunInput, type RunInput } from '#shared/events/run-input';
import { sampleEvent } from '../../../support/events.ts';

/** Fixed seed, small run counts: the whole file costs well under a second, and a failure replays exactly. */
const RUNS = { seed: 20261124, numRuns: 400 } as const;

const scheduled = sampleEvent('scheduled-nightly.json');
const createAccountResult = sampleEvent('orgs-create-account-result-succeeded.json');
const createManagedAccount = sampleEvent('ct-create-managed-account-succeeded.json');
const VALID_INPUTS: readonly object[] = [scheduled, createAccountResult, createManagedAccount, {}, { accountIds: ['222222222222'] }, { dryRun: false }];

/** Keys that matter here, so mutations hit them often: envelope keys, console keys, prototype keys, near misses. */
const key = fc.oneof(
  fc.constantFrom(...ENVELOPE_KEYS, 'accountIds', 'dryRun', 'dryrun', 'eventName', 'state', 'accountId', '__proto__', 'constructor', 'prototype'),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);

/** Arbitrary JSON, with non-ASCII text, account-id-like numbers and strings, and nesting past the bound. */
const leaf = fc.oneof(
  fc.constantFrom('222222222222', 222222222222, '22222222222', 'SUCCEEDED', 'FAILED', true, false, null, 0, '', 'aws.scheduler', 'Scheduled Event'),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.double(),
  fc.integer(),
);
const json: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  ),
})).value;
const deep = fc.tuple(fc.integer({ min: 20, max: 3000 }), fc.boolean(), leaf).map(([depth, asArray, inner]) => {
  let value: unknown = inner;
  for (let level = 0; level < depth; level++) value = asArray ? [value] : { a: value };
  return value;
});

type Json = unknown;
/** A copy of `base` with one value replaced, added or removed somewhere inside it (JSON round trip keeps __proto__ an own key). */
function mutate(base: Json, path: readonly number[], replacement: Json, newKey: string, remove: boolean): Json {
  const copy = JSON.parse(JSON.stringify(base)) as Json;
  let node = copy;
  for (const step of path) {
    if (typeof node !== 'object' || node === null) break;
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const child = (node as Record<string, Json>)[keys[step % keys.length]!];
    if (typeof child !== 'object' || child === null) break;
    node = child;
  }
  if (typeof node !== 'object' || node === null) return replacement;
  const target = node as Record<string, Json>;
  const keys = Object.keys(target);
  const existing = keys[path.length % Math.max(1, keys.length)];
  const name = remove || existing === undefined ? newKey : existing;
  if (remove && existing !== undefined) delete target[existing];
  // An array's length is no key a JSON input can carry.
  else if (!(Array.isArray(target) && name === 'length')) Object.defineProperty(target, name, { value: replacement, enumerable: true, writable: true, configurable: true });
  return copy;
}
const mutatedInput = fc
  .tuple(fc.constantFrom(...VALID_INPUTS), fc.array(fc.nat(), { maxLength: 4 }), fc.oneof(json, deep), key, fc.boolean())
  .map(([base, path, replacement, newKey, remove]) => mutate(base, path, replacement, newKey, remove));
const anyInput = fc.oneof(json, deep, mutatedInput);

/** Either a run, or MalformedInputError whose every part is `path: rule`. Anything else is a defect. */
function outcomeOf(input: unknown): RunInput | MalformedInputError {
  try {
    return parseRunInput(input);
  } catch (error) {
    if (!(error instanceof MalformedInputError)) throw error;
    // Problems are joined with '; '; the first is always `path: rule`, and so is each after it.
    expect(error.message).toMatch(/^\S.*?: \S/s);
    return error;
  }
}

const writes = (run: RunInput) => !(run.trigger === 'manual' && run.dryRun);

describe('parseRunInput, for any JSON value', () => {
  it('returns a run or throws MalformedInputError naming a path and a rule, and never anything else', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        outcomeOf(input);
      }),
      RUNS,
    );
  });

  it('never yields a writing run from an input that carries dryRun: true at its top level', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const withDryRun = typeof input === 'object' && input !== null && !Array.isArray(input) ? { ...input, dryRun: true } : { dryRun: true, value: input };
        const outcome = outcomeOf(withDryRun);
        if (!(outcome instanceof MalformedInputError)) expect(writes(outcome)).toBe(false);
      }),
      RUNS,
    );
  });

  it('refuses any key outside the EventBridge envelope at an event\'s top level, naming it', () => {
    const extraKey = key.filter((k) => !(ENVELOPE_KEYS as readonly string[]).includes(k));
    fc.assert(
      fc.property(fc.constantFrom(scheduled, createAccountResult, createManagedAccount), extraKey, json, (event, extra, value) => {
        const input = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
        Object.defineProperty(input, extra, { value, enumerable: true, writable: true, configurable: true });
        expect(() => parseRunInput(input)).toThrow(MalformedInputError);
        // Named first, or as the start of the path inside it that is refused first (a prototype key, say).
        const named = pathText([extra]);
        const message = (() => {
          try {
            parseRunInput(input);
            return '';
          } catch (error) {
            return (error as Error).message;
          }
        })();
        expect([':', '.'].some((after) => message.startsWith(`${named}${after}`) || message.includes(`; ${named}${after}`)), message).toBe(true);
      }),
      RUNS,
    );
  });
});
