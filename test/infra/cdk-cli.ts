import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The pinned CDK CLI (node_modules/aws-cdk), run against a synthesized cloud assembly with nothing able to reach AWS:
 * fake profiles, and every endpoint and proxy pointed at a local port that refuses connections.
 */

const CDK_CLI_MAIN = 'node_modules/aws-cdk/lib/index.js';

/** A port on 127.0.0.1 that nothing listens on: taken from the OS, then released. */
export async function refusingEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** An environment for the CLI: `profiles` exist (with fake keys) and every AWS call is refused locally. */
export function offlineAwsEnvironment(profiles: readonly string[], endpoint: string): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), 'cdk-offline-'));
  const config = profiles
    .map((profile) => `[profile ${profile}]\nregion = us-east-1\naws_access_key_id = AKIAOFFLINE${profile.toUpperCase()}\naws_secret_access_key = offline\nendpoint_url = ${endpoint}\n`)
    .join('');
  writeFileSync(join(dir, 'config'), config);
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_') && !name.startsWith('CDK_') && !/_proxy$/i.test(name)));
  return {
    ...inherited,
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
    AWS_ENDPOINT_URL: endpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
    HTTP_PROXY: endpoint,
    HTTPS_PROXY: endpoint,
    CDK_DISABLE_VERSION_CHECK: 'true',
    CDK_DISABLE_CLI_TELEMETRY: 'true',
  };
}

export interface CliRun {
  /** What the CLI threw or returned: a deploy that reached no AWS fails. */
  readonly failure?: string;
  readonly output: string;
}

/**
 * The CLI's own entry point (what bin/cdk runs), loaded once and run in this process: one CLI load for every line
 * instead of one Node.js process per line. Its output is captured, and `env` replaces the environment while it runs.
 * Runs must not overlap: the capture and the environment are process-wide.
 */
export async function runCdk(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  // By path: the package's exports map hides lib/, which bin/cdk itself requires.
  const { exec } = createRequire(import.meta.url)(resolve(CDK_CLI_MAIN)) as { exec: (args: string[]) => Promise<number | void> };
  const savedEnv = { ...process.env };
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  let output = '';
  const capture = ((chunk: string | Uint8Array) => {
    output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  for (const name of Object.keys(process.env)) delete process.env[name];
  Object.assign(process.env, env);
  process.stdout.write = capture;
  process.stderr.write = capture;
  try {
    const code = await exec([...args]);
    return { failure: code ? `exit code ${code}` : undefined, output };
  } catch (error) {
    return { failure: error instanceof Error ? error.message : String(error), output };
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
    for (const name of Object.keys(process.env)) delete process.env[name];
    Object.assign(process.env, savedEnv);
  }
}

/** Each stack's environment (aws://account/region) in a cloud assembly directory. */
export function stackEnvironments(assemblyDir: string): Map<string, { account: string; region: string }> {
  const manifest = JSON.parse(readFileSync(join(assemblyDir, 'manifest.json'), 'utf8')) as { artifacts: Record<string, { type: string; environment?: string }> };
  const stacks = Object.entries(manifest.artifacts).filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack');
  return new Map(
    stacks.map(([id, artifact]) => {
      const [, account = '', region = ''] = /^aws:\/\/(\d{12})\/([\w-]+)$/.exec(artifact.environment ?? '') ?? [];
      return [id, { account, region }];
    }),
  );
}

/**
 * The stacks a `cdk deploy -v` run selected, each with the account the CLI meant to deploy it into. Before it deploys,
 * the CLI looks up every selected stack's assets (its template is one), and with no reachable AWS it logs
 * "<stack>: debug: Need to perform AWS calls for account <id>" once per asset.
 */
export function selectedStacks(output: string): Map<string, string> {
  const found = [...output.matchAll(/^\[[\d:]+\] (\S+): debug: Need to perform AWS calls for account (\d{12})/gm)];
  return new Map(found.map(([, stack, account]) => [stack!, account!]));
}
