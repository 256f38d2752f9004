import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { describeIssues } from '../contacts.ts';
import { ConfigError } from '../errors.ts';
import { shapeProblem } from '../input-shape.ts';
import { configSchema, type EnforcerConfig } from './schema.ts';
import { NESTED_TOO_DEEP, plainValues, unquotedIds, yamlProblem } from './yaml-refusals.ts';

/** Validates a parsed configuration; throws one ConfigError listing every problem with its path and rule. */
export function parseConfig(raw: unknown, source = '(inline)'): EnforcerConfig {
  return validated(raw, source, []);
}

/** The shape first (depth, prototype keys: zod would drop such a key without a word), then the schema. */
function validated(raw: unknown, source: string, problems: readonly string[]): EnforcerConfig {
  const shape = shapeProblem(raw);
  if (shape) throw new ConfigError([...problems, shape], source);
  const result = configSchema.safeParse(raw);
  if (!result.success || problems.length > 0) throw new ConfigError([...problems, ...(result.error ? describeIssues(result.error) : [])], source);
  return result.data;
}


/**
 * Reads a YAML or JSON configuration file and validates it. Whatever goes wrong on the way (the file system, the
 * decoder, the yaml library, a stack) is a ConfigError naming the file and the rule, never a library's own error.
 */
export function loadConfig(path: string): EnforcerConfig {
  try {
    return readConfig(path);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const message = error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error);
    throw new ConfigError([`(file): ${/call stack/i.test(message) ? NESTED_TOO_DEEP : `cannot be read as a configuration (${message})`}`], path);
  }
}

function readConfig(path: string): EnforcerConfig {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new ConfigError([`(file): cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`], path);
  }
  const lines = new LineCounter();
  const document = parseDocument(decodeUtf8(bytes, path), { lineCounter: lines, prettyErrors: true });
  if (document.errors.length > 0) throw new ConfigError(document.errors.map(yamlProblem), path);
  const quoteProblems = unquotedIds(document, lines);
  return validated(plainValues(document, lines, path), path, quoteProblems);
}

function decodeUtf8(bytes: Buffer, source: string): string {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    return decoder.decode(bytes);
  } catch {
    let start = 0;
    for (let line = 1; ; line++) {
      const end = bytes.indexOf(0x0a, start);
      try {
        decoder.decode(bytes.subarray(start, end < 0 ? bytes.length : end));
      } catch {
        throw new ConfigError([`(file): line ${line} is not valid UTF-8; save the file as UTF-8`], source);
      }
      if (end < 0) throw new ConfigError(['(file): is not valid UTF-8; save the file as UTF-8'], source);
      start = end + 1;
    }
  }
}
