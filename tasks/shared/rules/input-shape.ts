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
const segment = (key: PropertyKey): string =>
  typeof key === 'number' || /^[\w$-]+$/.test(String(key))
    ? String(key)
    : // JSON leaves these unescaped, and a message must show every character it names.
      JSON.stringify(String(key)).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

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

/**
 * The path of the first key that JSON text gives twice in one object, or undefined. JSON.parse keeps the last, so
 * `{"dryRun": true, "dryRun": false}` would read as a write the operator never meant. The text must be valid JSON.
 */
export function duplicateKeyIn(json: string): string | undefined {
  const open: { keys: Set<string> | undefined; key: string | number; expectKey: boolean }[] = [];
  for (let i = 0; i < json.length; i++) {
    const char = json[i];
    const top = open.at(-1);
    if (char === '"') {
      let end = i + 1;
      while (json[end] !== '"') end += json[end] === '\\' ? 2 : 1;
      if (top?.keys && top.expectKey) {
        const key = JSON.parse(json.slice(i, end + 1)) as string;
        if (top.keys.has(key)) return `${pathText([...open.slice(0, -1).map((level) => level.key), key])}: is given twice in one object`;
        top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
      i = end;
    } else if (char === '{' || char === '[') {
      open.push({ keys: char === '{' ? new Set() : undefined, key: char === '{' ? '' : 0, expectKey: char === '{' });
    } else if (char === '}' || char === ']') {
      open.pop();
    } else if (char === ',' && top) {
      if (top.keys) top.expectKey = true;
      else top.key = (top.key as number) + 1;
    }
  }
  return undefined;
}
