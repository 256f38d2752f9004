import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Test isolation that survives failure (test/fresh-modules.ts): vitest runs test/fixtures/isolation/ with the suite's
 * own unit-and-e2e settings in one worker. Three files break (at import, in beforeAll, on an assertion) after leaving
 * an SDK mock, an environment variable and a simulated clock behind; the file after each must pass all the same.
 */
const ROOT = join(import.meta.dirname, '..');
const CASES = 'test/fixtures/isolation';
const outputDir = mkdtempSync(join(tmpdir(), 'enforcer-isolation-'));

interface JsonReport {
  readonly testResults: readonly { readonly name: string; readonly status: 'passed' | 'failed'; readonly message: string }[];
}

let report: JsonReport;

beforeAll(async () => {
  const outputFile = join(outputDir, 'report.json');
  // The child is a vitest run of its own: none of this worker's VITEST_* variables may steer it.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')));
  await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--config', join(CASES, 'vitest.config.ts'), '--reporter=json', `--outputFile=${outputFile}`], { cwd: ROOT, env }).catch(
    // Vitest exits 1 because three cases fail on purpose; the report says which.
    (error: { code?: number }) => {
      if (error.code !== 1) throw error;
    },
  );
  report = JSON.parse(readFileSync(outputFile, 'utf8')) as JsonReport;
});
afterAll(() => rmSync(outputDir, { recursive: true, force: true }));

const outcomes = () => Object.fromEntries(report.testResults.map((file) => [relative(join(ROOT, CASES), file.name), file.status]));

describe('a test file that fails', () => {
  it('fails alone, at import, in beforeAll or on an assertion: every file after it in the same worker passes', () => {
    expect(outcomes()).toEqual({
      '1-broken-at-import.case.ts': 'failed',
      '2-witness.case.ts': 'passed',
      '3-broken-in-before-all.case.ts': 'failed',
      '4-witness.case.ts': 'passed',
      '5-broken-assertion.case.ts': 'failed',
      '6-witness.case.ts': 'passed',
    });
  });

  it('fails with its own error, not one a file before it left', () => {
    const messages = report.testResults.filter((file) => file.status === 'failed').map((file) => file.message);

    expect(messages.filter((message) => message !== '')).toEqual([expect.stringContaining('broken at import'), expect.stringContaining('broken in beforeAll')]);
  });
});

describe('the SDK mocks', () => {
  it('come only from test/sdk-mock.ts, which registers each for the restore before the next file', () => {
    const testFiles = readdirSync(join(ROOT, 'test'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));

    const importsTheLibrary = new RegExp(`from '${'aws-sdk-client-mock'}'`);
    const direct = testFiles.filter((file) => file !== 'sdk-mock.ts' && importsTheLibrary.test(readFileSync(join(ROOT, 'test', file), 'utf8')));

    expect(direct).toEqual([]);
  });
});
