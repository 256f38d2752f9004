import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '#shared/rules/errors';
import { offlineAwsEnvironment, refusingEndpoint } from './cdk-cli.ts';
import { buildApp } from './synth.ts';

const EXAMPLE_TEXT = readFileSync('config/alternate-contacts.yaml', 'utf8');
/** Anchors of anchors, nine deep and nine wide, before a valid configuration: the corpus's own case. */
const ALIAS_BOMB = readFileSync('test/tasks/shared/rules/config/invalid/106-alias-bomb.yaml', 'utf8');

function configFile(contents: string | Buffer): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'enforcer-synth-refused-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, contents);
  return { dir, file };
}

describe('cdk synth with a configuration refused at load', () => {
  it('answers an alias bomb before a valid configuration with the project\'s own message: the file, the line, the rule, no stack trace', async () => {
    const { dir, file } = configFile(ALIAS_BOMB);

    // The pinned CLI as an operator runs it, in its own process: the app's stderr is what the terminal shows.
    const synth = await promisify(execFile)(process.execPath, ['node_modules/aws-cdk/bin/cdk', 'synth', '-c', `config=${file}`, '--quiet', '-o', join(dir, 'cdk.out'), '--no-notices'], {
      env: offlineAwsEnvironment([], await refusingEndpoint()),
    }).then(
      () => ({ failed: false, stderr: '' }),
      (error: { stderr: string }) => ({ failed: true, stderr: error.stderr }),
    );

    expect(synth.failed).toBe(true);
    expect(synth.stderr).toContain(`Invalid configuration ${file}:\n  - (file): line 4: its aliases expand past 100 aliased values, the most allowed`);
    expect(synth.stderr).not.toMatch(/ReferenceError|^\s+at .*:\d+/m);
    expect(existsSync(join(dir, 'cdk.out', 'manifest.json'))).toBe(false);
  });

  it.each<[string, string | Buffer, string]>([
    [
      'an OU that gives fields under a deleting default',
      EXAMPLE_TEXT.replace(/(\n {2}OPERATIONS:\n)(?: {4}\w+: .*\n)+/, '$1    policy: delete\n'),
      'overrides.organizationalUnits.ou-ab12-cd34ef56.OPERATIONS.name: is given under policy delete from contacts.OPERATIONS.policy',
    ],
    // A Latin-1 é in a comment after the example's last line.
    ['a comment that is not UTF-8', Buffer.concat([Buffer.from(EXAMPLE_TEXT), Buffer.from([0x23, 0x20, 0xe9, 0x0a])]), `(file): line ${EXAMPLE_TEXT.split('\n').length} is not valid UTF-8`],
  ])('refuses %s as a ConfigError, which the app prints as its message alone', (_case, contents, expected) => {
    const { file } = configFile(contents);

    expect(() => buildApp({ config: file })).toThrow(ConfigError);
    expect(() => buildApp({ config: file })).toThrow(`  - ${expected}`);
  });
});
