import { type EnforcerConfig, loadConfig } from '#shared/rules/config';
import { ConfigError } from '#shared/rules/errors';

/**
 * The configuration a command names, for the commands that have no error handling of their own (`npm run bench`,
 * `npm run simulator`): a refused file prints its ConfigError's lines, which name the file, the path and the rule, and
 * ends the command with exit code 1, never with a stack trace.
 */
export function loadConfigOrExit(file: string): EnforcerConfig {
  try {
    return loadConfig(file);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${error.message}\nNothing was run.`);
    return process.exit(1);
  }
}
