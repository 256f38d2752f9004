import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The pinned CDK CLI (node_modules/aws-cdk), run against a synthesized cloud assembly with nothing able to reach AWS:
 * fake profiles, and every endpoint and proxy pointed at a local port that refuses connections.
 */

const CDK_CLI = 'node_modules/aws-cdk/bin/cdk';

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
  readonly exitCode: number;
  readonly output: string;
}

export function runCdk(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CDK_CLI, ...args], { env, timeout: 30_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const exitCode = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ exitCode, output: `${stdout}${stderr}` });
    });
  });
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
