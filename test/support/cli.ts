import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../local/cli.ts';

export const ROOT = join(import.meta.dirname, '../..');
export const EXAMPLE_CONFIG_FILE = join(ROOT, 'config/alternate-contacts.yaml');

/** The test defaults (the example config, fast simulated time), each unless the case gives that flag itself. */
export function withDefaults(args: readonly string[]): string[] {
  const defaults = [['--config', EXAMPLE_CONFIG_FILE], ['--speedup', '200'], ['--latency', '0']];
  const given = (flag: string) => args.some((arg) => arg === flag || arg.startsWith(`${flag}=`));
  return [...defaults.filter(([flag]) => !given(flag!)).flat() as string[], ...args];
}

/** `npm start -- ...args`, in-process, in a fresh folder so each case starts from its own .local-state. */
export async function startInProcess(...args: string[]) {
  const cwd = mkdtempSync(join(tmpdir(), 'enforcer-cli-'));
  let stdout = '';
  let stderr = '';
  const code = await main(withDefaults(args), {
    out: (text) => (stdout += text),
    err: (text) => (stderr += text),
    cwd,
    isTTY: false,
  });
  return { code, stdout, stderr, cwd };
}
