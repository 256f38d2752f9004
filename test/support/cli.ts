import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { vi } from 'vitest';
import { main } from '../../local-run/cli.ts';

export const ROOT = join(import.meta.dirname, '../..');

/**
 * Node's flags that load TypeScript through tsx in the process itself: `node <flags> file.ts` is `tsx file.ts` without
 * the second process tsx's own command line starts, which costs a Node start-up per real process the tests run.
 */
export const TSX_NODE_FLAGS = ['--require', join(ROOT, 'node_modules/tsx/dist/preflight.cjs'), '--import', pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href];
export const EXAMPLE_CONFIG_FILE = join(ROOT, 'config/alternate-contacts.yaml');

/** The test defaults (the example config, fast simulated time), each unless the case gives that flag itself. */
export function withDefaults(args: readonly string[]): string[] {
  const defaults = [['--config', EXAMPLE_CONFIG_FILE], ['--speedup', '200'], ['--latency', '0']];
  const given = (flag: string) => args.some((arg) => arg === flag || arg.startsWith(`${flag}=`));
  return [...defaults.filter(([flag]) => !given(flag!)).flat() as string[], ...args];
}

/** `npm start -- ...args`, in-process, in a fresh folder so each case starts from its own .local-state. */
export async function startInProcess(...args: string[]) {
  return startWith(main, args);
}

/**
 * `npm start -- ...args` in-process with the project's modules loaded afresh, as a new process would load them: the
 * tasks read their configuration when imported and keep it, so a run with another configuration (a dry run's audit
 * mode) needs them anew.
 */
export async function startWithFreshModules(...args: string[]) {
  vi.resetModules();
  const fresh = (await import('../../local-run/cli.ts')) as { main: typeof main };
  return startWith(fresh.main, args);
}

async function startWith(cli: typeof main, args: readonly string[]) {
  const cwd = mkdtempSync(join(tmpdir(), 'enforcer-cli-'));
  let stdout = '';
  let stderr = '';
  const code = await cli(withDefaults(args), {
    out: (text) => (stdout += text),
    err: (text) => (stderr += text),
    cwd,
    isTTY: false,
  });
  return { code, stdout, stderr, cwd };
}
