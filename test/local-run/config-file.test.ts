import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfigOrExit } from '../../local-run/config-file.ts';

describe('the configuration of npm run bench and npm run simulator', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints a refused file\'s rule and exits 1, with no stack trace', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'enforcer-config-')), 'bomb.yaml');
    writeFileSync(file, `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n`);
    const printed: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => void printed.push(line));
    const exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${code}`);
    });

    expect(() => loadConfigOrExit(file)).toThrow('exit 1');

    expect(exit).toHaveBeenCalledWith(1);
    expect(printed.join('\n')).toContain(file);
    expect(printed.join('\n')).not.toMatch(/\n\s+at /);
  });

  it('returns the configuration of a good file', () => {
    expect(loadConfigOrExit('config/alternate-contacts.yaml').contacts).toBeDefined();
  });
});
