import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MalformedInputError } from '#shared/rules/errors';
import { duplicateKeyIn } from '#shared/rules/input-shape';
import { parseRunInput } from '#shared/events/run-input';
import { readCorpus } from '../../../support/corpus.ts';
import { startInProcess } from '../../../support/cli.ts';

/**
 * Events and console inputs, one file each: `# expect: refused <message>` or `# expect: run <the RunInput>`, then
 * the input exactly as an operator would pass it to `--input` (not always JSON).
 */
const corpus = readCorpus(join(import.meta.dirname, 'run-input'), '.txt');
const refused = corpus.filter((c) => c.expected.startsWith('refused '));
const runs = corpus.filter((c) => c.expected.startsWith('run '));
const message = (c: { expected: string }) => c.expected.slice('refused '.length);

const parseJson = (text: string): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
};

describe('the run-input corpus', () => {
  it('holds at least 60 events and console inputs, each with its expected outcome', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(60);
    for (const c of corpus) expect(c.expected, c.file).toMatch(/^(refused|run) ./);
  });

  // A key given twice is gone once parsed (JSON.parse keeps the last): the CLI refuses it from the text.
  it.each(refused.filter((c) => parseJson(c.body).ok && !duplicateKeyIn(c.body)))('$file: parseRunInput refuses it with MalformedInputError naming the path and rule', (c) => {
    const json = parseJson(c.body);
    if (!json.ok) throw new Error('not JSON');

    expect(() => parseRunInput(json.value)).toThrow(MalformedInputError);
    expect(() => parseRunInput(json.value)).toThrow(message(c));
  });

  it.each(runs)('$file: parseRunInput reads the run it asks for', (c) => {
    expect(parseRunInput(JSON.parse(c.body))).toEqual(JSON.parse(c.expected.slice('run '.length)));
  });

  it.each(refused)('$file: npm start -- --input refuses it with exit code 1 before anything runs', async (c) => {
    const { code, stderr, stdout, cwd } = await startInProcess('--input', c.body);

    expect(code).toBe(1);
    expect(stderr).toMatch(/^Run failed: MalformedInputError: /);
    expect(stderr).toContain(message(c));
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe('');
    expect(existsSync(join(cwd, '.local-state'))).toBe(false);
  });
});
