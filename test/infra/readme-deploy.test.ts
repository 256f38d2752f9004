import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, offlineAwsEnvironment, refusingEndpoint, runCdk, selectedStacks, stackEnvironments } from './cdk-cli.ts';
import { buildApp, ENFORCER_ACCOUNT, MANAGEMENT_ACCOUNT } from './synth.ts';

/**
 * Every `npx cdk deploy` line of the README, run through the pinned CDK CLI's own stack selection against a cloud
 * assembly synthesized once per context, with nothing able to reach AWS. Each line must deploy only the stacks it
 * names (all of them for --all), each into its profile's own account, bootstrapped in the same README section. No
 * line lets one account deploy into another: that needs a bootstrap trust whose execution policy can create IAM
 * roles, which is admin over the trusting account.
 */

/** The README's example profiles. */
const PROFILE_ACCOUNTS: Record<string, string> = { management: MANAGEMENT_ACCOUNT, security: ENFORCER_ACCOUNT };
/** The widest app: Control Tower outside us-east-1, so the forwarder stack exists and every line must cope with it. */
const WIDEST_CONTEXT = { controlTowerHomeRegion: 'eu-west-1' };
const FLAGS_WITH_VALUE = new Set(['--profile', '-c', '--context', '--app', '-a', '--region']);

interface ReadmeCommand {
  /** The line as the README shows it, comment aside. */
  readonly line: string;
  /** The nearest heading above it: bootstrap lines count for the deploy lines of their own section. */
  readonly section: string;
  readonly words: readonly string[];
}

interface DeployLine extends ReadmeCommand {
  readonly profile: string;
  readonly context: Record<string, string>;
  readonly stacks: readonly string[];
  readonly all: boolean;
}

/** `npx cdk <verb>` lines of the README, with backslash continuations joined and trailing comments dropped. */
function readmeCommands(verb: string): ReadmeCommand[] {
  const commands: ReadmeCommand[] = [];
  let section = '';
  const lines = readFileSync('README.md', 'utf8').replace(/\\\n\s*/g, '').split('\n');
  for (const raw of lines) {
    if (/^#{2,3} /.test(raw)) section = raw;
    const line = raw.replace(/\s+#.*$/, '').trim();
    if (line.startsWith(`npx cdk ${verb} `)) commands.push({ line, section, words: line.split(/\s+/).slice(3) });
  }
  return commands;
}

function parseDeploy(command: ReadmeCommand): DeployLine {
  const context: Record<string, string> = {};
  const stacks: string[] = [];
  let profile = '';
  const { words } = command;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (FLAGS_WITH_VALUE.has(word)) {
      const value = words[++i] ?? '';
      if (word === '--profile') profile = value;
      if (word === '-c' || word === '--context') {
        const [key = '', ...rest] = value.split('=');
        context[key] = rest.join('=');
      }
    } else if (!word.startsWith('-')) {
      stacks.push(word);
    }
  }
  return { ...command, profile, context, stacks, all: words.includes('--all') };
}

const deployLines = readmeCommands('deploy').map(parseDeploy);
const bootstrapLines = readmeCommands('bootstrap');

/** The section's bootstrap lines for one environment. */
const bootstrapsOf = (section: string, account: string, region: string) =>
  bootstrapLines.filter((b) => b.section === section && b.words.includes(`aws://${account}/${region}`));

const runs = new Map<string, { run: CliRun; assembly: string }>();

beforeAll(async () => {
  const endpoint = await refusingEndpoint();
  const env = offlineAwsEnvironment(Object.keys(PROFILE_ACCOUNTS), endpoint);
  // One synthesis per distinct context, not per line: the CLI reads the assembly directory with --app.
  const assemblies = new Map<string, string>();
  for (const line of deployLines) {
    // The line's own context first: the same key order as other tests' buildApp calls, so a cached app is reused.
    const context = JSON.stringify({ ...line.context, controlTowerHomeRegion: line.context.controlTowerHomeRegion ?? WIDEST_CONTEXT.controlTowerHomeRegion });
    const assembly = assemblies.get(context) ?? buildApp(JSON.parse(context) as Record<string, unknown>).synth().directory;
    assemblies.set(context, assembly);
    const run = await runCdk(['deploy', ...line.words, '--app', assembly, '--require-approval', 'never', '--no-notices', '-v'], env);
    runs.set(line.line, { run, assembly });
  }
}, 60_000);

describe('the README deploy lines', () => {
  it('cover both topologies: --all for the single account, one line per stack for the delegated one', () => {
    const delegated = deployLines.filter((line) => line.context.topology === 'delegated');

    expect(deployLines.filter((line) => !line.context.topology && line.all)).toHaveLength(1);
    expect(delegated.filter((line) => !line.all).flatMap((line) => line.stacks).sort()).toEqual([
      'AlternateContactsEnforcer',
      'AlternateContactsEnforcerControlTowerForwarder',
      'AlternateContactsEnforcerManagement',
    ]);
    expect(delegated.filter((line) => line.all)).toEqual([]);
  });

  it.each(deployLines.map((line) => [line.line, line] as const))('`%s` selects only the stacks it names, and reaches no AWS', (_text, line) => {
    const { run, assembly } = runs.get(line.line)!;
    const environments = stackEnvironments(assembly);
    const selected = selectedStacks(run.output);

    // Refused before any deploy: the fake endpoint answers nothing.
    expect(run.failure).toMatch(/ECONNREFUSED|no credentials have been configured/);
    expect(run.output).not.toContain('Including dependency stacks');
    expect([...selected.keys()].sort()).toEqual([...(line.all ? environments.keys() : line.stacks)].sort());
    for (const [stack, account] of selected) expect(account).toBe(environments.get(stack)?.account);
  });

  it.each(deployLines.map((line) => [line.line, line] as const))('`%s` deploys each stack into its profile\'s own, bootstrapped account', (_text, line) => {
    const { run, assembly } = runs.get(line.line)!;
    const environments = stackEnvironments(assembly);
    const profileAccount = PROFILE_ACCOUNTS[line.profile];

    expect(profileAccount).toBeDefined();
    for (const stack of selectedStacks(run.output).keys()) {
      const { account, region } = environments.get(stack)!;
      // Every environment a line deploys to is bootstrapped in the same section of the README, by that account.
      expect(bootstrapsOf(line.section, account, region), `${stack} needs a bootstrap of aws://${account}/${region}`).not.toEqual([]);
      expect(account, `${stack} is in ${account}, not the ${line.profile} profile's account`).toBe(profileAccount);
    }
  });

  it('bootstrap no account to trust another, and never with AdministratorAccess', () => {
    const readme = readFileSync('README.md', 'utf8').replace(/\\\n\s*/g, '');

    expect(bootstrapLines.length).toBeGreaterThan(0);
    for (const bootstrap of bootstrapLines) expect(bootstrap.words, bootstrap.line).not.toContain('--trust');
    expect(readme).not.toMatch(/--cloudformation-execution-policies|policy\/AdministratorAccess/);
  });
});
