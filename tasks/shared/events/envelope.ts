import { z } from 'zod';
import { accountIdSchema, describeIssues } from '../rules/contacts.ts';
import { MalformedInputError } from '../rules/errors.ts';
import { pathText } from '../rules/input-shape.ts';

/**
 * The keys of an EventBridge event's envelope, and the only keys an event may carry at its top level: a `dryRun` or
 * `accountIds` added to a copied event would otherwise be dropped without a word, and the run would write.
 * https://docs.aws.amazon.com/eventbridge/latest/ref/overiew-event-structure.html
 */
export const ENVELOPE_KEYS = ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail'] as const;

const NOT_AN_ENVELOPE_KEY = `is not a key of an EventBridge event, which carries only ${ENVELOPE_KEYS.join(', ')}. For a dry run or chosen accounts, start with console input such as {"dryRun": true}`;

/** Parses with zod, or throws MalformedInputError naming each field (from the input's root) and its rule. */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown, path: readonly string[] = [], unknownTopLevelKey?: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new MalformedInputError(describeIssues(result.error, path, unknownTopLevelKey).join('; '));
  return result.data;
}

/** An object inside an event: AWS adds fields over time, so only the fields used are validated. */
export const eventObject = <S extends z.ZodRawShape>(shape: S) => z.looseObject(shape, { error: 'must be an object' });

export const isoTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time' });

/** A whole event of one source and detail-type: the envelope's keys, typed, and nothing else at the top level. */
export function eventSchema<D extends z.ZodType, T extends z.ZodType = z.ZodOptional<typeof isoTime>>(event: {
  readonly source: string;
  readonly detailType: string;
  readonly detail: D;
  readonly time?: T;
}) {
  return z.strictObject({
    version: z.string({ error: 'must be a string' }).optional(),
    id: z.string({ error: 'must be a string' }).optional(),
    'detail-type': z.literal(event.detailType, { error: `must be ${event.detailType}` }),
    source: z.literal(event.source, { error: `must be ${event.source}` }),
    account: accountIdSchema.optional(),
    time: (event.time ?? isoTime.optional()) as T,
    region: z.string({ error: 'must be a string' }).optional(),
    resources: z.array(z.string({ error: 'must be a string' }), { error: 'must be a list of ARNs' }).optional(),
    detail: event.detail,
  });
}

/**
 * Where inside an event a `dryRun` key hides, if anywhere. AWS never sends one, so it can only be an operator's
 * edit, and an event's loose inner objects would drop it without a word: the run would write.
 */
function dryRunInside(event: object): string | undefined {
  const pending: { value: unknown; path: readonly string[] }[] = Object.entries(event).map(([key, value]) => ({ value, path: [key] }));
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    for (const [key, value] of Object.entries(next.value)) {
      if (key === 'dryRun') return pathText([...next.path, key]);
      pending.push({ value, path: [...next.path, key] });
    }
  }
  return undefined;
}

/** Parses a whole event; an unknown top-level key, or a dryRun at any depth, is named with the rule. */
export function parseEvent<T extends z.ZodType>(schema: T, event: unknown): z.infer<T> {
  const dryRun = typeof event === 'object' && event !== null ? dryRunInside(event) : undefined;
  if (dryRun) throw new MalformedInputError(`${dryRun}: an event cannot ask for a dry run. Start with console input such as {"dryRun": true}`);
  return parseWith(schema, event, [], NOT_AN_ENVELOPE_KEY);
}
