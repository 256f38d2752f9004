import { z } from 'zod';

// Organizations' tag rules: a key of 1-128 characters, a value of 0-256.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_Tag.html
export const tagKeySchema = z.string({ error: 'must be a string' }).min(1, 'must be a tag key of 1-128 characters').max(128, 'must be a tag key of 1-128 characters');
/** `key=value`, split at the first `=`: the key itself may not hold one. */
const TAG_PAIR = /^([^=]{1,128})=(.{0,256})$/s;
/** A tag override's or a tag exclusion's key: `key=value`. */
export const tagPairSchema = z.string({ error: 'must be a string' }).regex(TAG_PAIR, 'must be key=value: a tag key of 1-128 characters without =, then its value');
export const splitTagPair = (pair: string): [string, string] => {
  const [, key = '', value = ''] = TAG_PAIR.exec(pair) ?? [];
  return [key, value];
};

/** An account's tags, key to value, from Organizations ListTagsForResource. */
export type AccountTags = Readonly<Record<string, string>>;

/** Whether the account carries the tag of a `key=value` pair. */
export const hasTag = (tags: AccountTags, pair: string): boolean => {
  const [key, value] = splitTagPair(pair);
  return tags[key] === value;
};
