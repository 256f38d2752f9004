/**
 * Checks a parsed JSON or YAML value before anything recursive (zod, JSON.stringify, the engine's JSONPath) touches
 * it: nesting deep enough to overflow a stack, and keys that would reach an object's prototype. The walk keeps its
 * own stack, so it cannot overflow on the input it exists to refuse.
 */

/** Far deeper than any event or configuration this product reads (an EventBridge event nests about 6 levels). */
export const MAX_NESTING_DEPTH = 32;

// JSON.parse and YAML keep these as ordinary keys, but zod drops them without a word and a merge would follow them
// into Object.prototype: refused wherever they appear.
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A key as a path shows it: plain when it reads as a name, JSON-quoted otherwise (`""`, `" "`, `"a.b"`). */
const segment = (key: PropertyKey): string => (typeof key === 'number' || /^[\w$-]+$/.test(String(key)) ? String(key) : JSON.stringify(String(key)));

/** `a.b.0.c`, or `(root)`: where a problem is, from the input's top. */
export const pathText = (path: readonly PropertyKey[]): string => (path.length > 0 ? path.map(segment).join('.') : '(root)');

/** The first problem of shape, as `path: rule`, or undefined when the value is safe to hand to a parser. */
export function shapeProblem(value: unknown, maxDepth = MAX_NESTING_DEPTH): string | undefined {
  const pending: { value: unknown; path: readonly PropertyKey[] }[] = [{ value, path: [] }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.path.length >= maxDepth) return `${pathText(next.path)}: nests deeper than ${maxDepth} levels, the most allowed`;
    for (const key of Object.keys(next.value)) {
      const path = [...next.path, key];
      if (PROTOTYPE_KEYS.has(key)) return `${pathText(path)}: is a prototype key, never allowed`;
      pending.push({ value: (next.value as Record<string, unknown>)[key], path });
    }
  }
  return undefined;
}
