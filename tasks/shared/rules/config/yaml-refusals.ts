import { type Document, isMap, isPair, isScalar, isSeq, type LineCounter, visit, type YAMLError } from 'yaml';
import { ConfigError } from '../errors.ts';
import { MAX_NESTING_DEPTH, pathText } from '../input-shape.ts';

// What a YAML document may not do before its values reach the schema: numbers where an account id was meant,
// syntax errors, nesting past the limit, aliases that expand without end.

/**
 * An unquoted account id is a YAML number: `012345678901` loses its leading zero and `111111111111` is no string.
 * Each such scalar (a key or a value) gets its written text back, so later messages name what the user wrote,
 * and a problem telling the user to quote it. Walked with its own stack: the YAML may nest deeper than is allowed.
 */
export function unquotedIds(document: Document, lines: LineCounter): string[] {
  const problems: string[] = [];
  const pending: { node: unknown; path: readonly string[] }[] = [{ node: document.contents, path: [] }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { node, path } = next;
    if (path.length > MAX_NESTING_DEPTH) continue;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? pair.key : undefined;
        // A key and its value describe the same path.
        const at = [...path, String(key?.source ?? key?.value ?? '?')];
        if (key) pending.push({ node: key, path: at });
        pending.push({ node: pair.value, path: at });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => pending.push({ node: item, path: [...path, String(index)] }));
    } else if (isScalar(node) && typeof node.value === 'number' && node.source !== undefined && /^(0\d+|\d{12})$/.test(node.source)) {
      const line = node.range ? ` (line ${lines.linePos(node.range[0]).line})` : '';
      problems.push(`${pathText(path)}: must be a string: YAML reads the unquoted ${node.source}${line} as a number; quote the account id: "${node.source}"`);
      node.value = node.source;
    }
  }
  return problems;
}

/** One line per YAML syntax error. The parser recurses, and YAML nested past its stack says so as a plain problem. */
export function yamlProblem(error: YAMLError): string {
  const line = error.linePos ? `line ${error.linePos[0].line}: ` : '';
  if (/call stack/i.test(error.message)) return `(file): ${line}${NESTED_TOO_DEEP}`;
  return `(file): ${error.message.split('\n')[0]}`;
}

export const NESTED_TOO_DEEP = `nests far deeper than ${MAX_NESTING_DEPTH} levels, the most allowed`;

// The yaml library stops expanding aliases past this count and throws: an alias bomb (anchors of anchors, nine
// wide and nine deep) would otherwise grow a small file into millions of values. https://eemeli.org/yaml/#tojs-options
const MAX_ALIAS_COUNT = 100;

/** The line of the first alias (`*name`): where expanding starts, when the library's own error names no line. */
function firstAliasLine(document: Document, lines: LineCounter): string {
  let line = '';
  visit(document, {
    Alias(_, alias) {
      if (alias.range) line = `line ${lines.linePos(alias.range[0]).line}: `;
      return visit.BREAK;
    },
  });
  return line;
}

/** The document as plain values; what the library throws while building them becomes a problem with the rule. */
export function plainValues(document: Document, lines: LineCounter, source: string): unknown {
  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/alias/i.test(message)) {
      throw new ConfigError([`(file): ${firstAliasLine(document, lines)}its aliases expand past ${MAX_ALIAS_COUNT} aliased values, the most allowed (a guard against alias bombs); write the values out`], source);
    }
    throw error;
  }
}
