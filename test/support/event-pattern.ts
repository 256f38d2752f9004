/**
 * Whether an EventBridge event pattern matches an event, with EventBridge's documented semantics: every field the
 * pattern names must match (AND); a field's array of values matches when any one does (OR), as does an event field
 * that is an array when any element matches; `$or` matches when any of its patterns does; and the comparison
 * operators prefix, suffix, anything-but, exists, equals-ignore-case, wildcard and numeric.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 *
 * No npm package does this offline (EventBridge's own TestEventPattern is an API call); an operator this file does not
 * know throws, so a pattern that uses one can never pass unseen.
 */

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
/** A leaf of the event: absent, or one scalar (arrays are matched element by element). */
type Leaf = string | number | boolean | null | undefined;

const isObject = (value: unknown): value is { [key: string]: Json } => typeof value === 'object' && value !== null && !Array.isArray(value);

export function matchesPattern(pattern: object, event: unknown): boolean {
  if (!isObject(pattern)) throw new Error(`an event pattern must be a JSON object, not ${JSON.stringify(pattern)}`);
  return Object.entries(pattern).every(([key, value]) => {
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) throw new Error('$or must list at least two patterns');
      return value.every(isObject) && (value as object[]).some((branch) => matchesPattern(branch, event));
    }
    const field = isObject(event) ? event[key] : undefined;
    if (isObject(value)) {
      // A nested pattern; an array of objects in the event matches when any element does.
      if (Array.isArray(field)) return field.some((element) => matchesPattern(value, element));
      return matchesPattern(value, isObject(field) ? field : undefined);
    }
    if (!Array.isArray(value)) throw new Error(`the pattern's ${key} must be an array of values or a nested pattern, not ${JSON.stringify(value)}`);
    return matchesField(value, field);
  });
}

/** A field against its array of matchers: any matcher, against the field's value or any element of it. */
function matchesField(matchers: Json[], field: Json | undefined): boolean {
  if (isObject(field)) return matchers.some((matcher) => isObject(matcher) && 'exists' in matcher && matcher['exists'] === false);
  const leaves: Leaf[] = Array.isArray(field) ? (field as Leaf[]) : [field as Leaf];
  return matchers.some((matcher) => {
    // exists is about the field, not a value: an empty array has no value, yet the field is there.
    if (isObject(matcher) && 'exists' in matcher) return existsMatches(matcher['exists'], field);
    return leaves.some((leaf) => matchesValue(matcher, leaf));
  });
}

function existsMatches(wanted: Json, field: Json | undefined): boolean {
  if (typeof wanted !== 'boolean') throw new Error(`exists takes true or false, not ${JSON.stringify(wanted)}`);
  return (field !== undefined) === wanted;
}

const OPERATORS = ['prefix', 'suffix', 'equals-ignore-case', 'wildcard', 'anything-but', 'numeric'];

function matchesValue(matcher: Json, leaf: Leaf): boolean {
  if (!isObject(matcher)) {
    if (Array.isArray(matcher)) throw new Error(`a value to match must be a scalar or an operator, not ${JSON.stringify(matcher)}`);
    return leaf !== undefined && leaf === matcher;
  }
  const entries = Object.entries(matcher);
  if (entries.length !== 1) throw new Error(`an operator object holds exactly one operator, not ${JSON.stringify(matcher)}`);
  const [operator, operand] = entries[0]!;
  if (!OPERATORS.includes(operator)) throw new Error(`unsupported operator ${operator} in ${JSON.stringify(matcher)}`);
  if (leaf === undefined) return false;
  switch (operator) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
    case 'wildcard':
      return typeof leaf === 'string' && stringMatches(operator, operand, leaf);
    case 'anything-but':
      return !anythingButExcludes(operand, leaf);
    default:
      return typeof leaf === 'number' && numericMatches(operand, leaf);
  }
}

/** The string operators; prefix and suffix may themselves take `{"equals-ignore-case": ...}`. */
function stringMatches(operator: string, operand: Json, leaf: string): boolean {
  const ignoreCase = isObject(operand) && 'equals-ignore-case' in operand && (operator === 'prefix' || operator === 'suffix');
  const text = ignoreCase ? (operand as { 'equals-ignore-case': Json })['equals-ignore-case'] : operand;
  if (typeof text !== 'string') throw new Error(`${operator} takes a string, not ${JSON.stringify(operand)}`);
  const [value, wanted] = ignoreCase || operator === 'equals-ignore-case' ? [leaf.toLowerCase(), text.toLowerCase()] : [leaf, text];
  if (operator === 'prefix') return value.startsWith(wanted);
  if (operator === 'suffix') return value.endsWith(wanted);
  if (operator === 'equals-ignore-case') return value === wanted;
  return wildcardExpression(text).test(leaf);
}

/** `*` is any run of characters; `\*` and `\\` stand for themselves. */
function wildcardExpression(wildcard: string): RegExp {
  const parts = wildcard.match(/\\\*|\\\\|\*|[^*\\]+|\\/g) ?? [];
  const source = parts.map((part) => (part === '*' ? '.*' : (part === '\\*' ? '*' : part === '\\\\' ? '\\' : part).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 's');
}

/** anything-but: one value, a list of values, or a prefix, suffix, equals-ignore-case or wildcard to exclude. */
function anythingButExcludes(operand: Json, leaf: Exclude<Leaf, undefined>): boolean {
  if (Array.isArray(operand)) return operand.some((value) => anythingButExcludes(value, leaf));
  if (!isObject(operand)) return leaf === operand;
  const [operator, value] = Object.entries(operand)[0] ?? [];
  if (!operator || !['prefix', 'suffix', 'equals-ignore-case', 'wildcard'].includes(operator)) throw new Error(`unsupported anything-but ${JSON.stringify(operand)}`);
  // A list under one of these excludes a string that matches any of them.
  const values = Array.isArray(value) ? value : [value!];
  return typeof leaf === 'string' && values.some((one) => stringMatches(operator, one, leaf));
}

const COMPARISONS: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

/** numeric: operator and number pairs, all of which must hold, e.g. `[">", 0, "<=", 5]`. */
function numericMatches(operand: Json, leaf: number): boolean {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0) throw new Error(`numeric takes operator and number pairs, not ${JSON.stringify(operand)}`);
  for (let i = 0; i < operand.length; i += 2) {
    const [operator, bound] = [operand[i], operand[i + 1]];
    const compare = typeof operator === 'string' ? COMPARISONS[operator] : undefined;
    if (!compare || typeof bound !== 'number') throw new Error(`numeric takes operator and number pairs, not ${JSON.stringify(operand)}`);
    if (!compare(leaf, bound)) return false;
  }
  return true;
}
