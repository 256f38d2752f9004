import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { EnforcerConfig } from '#shared/rules/config';
import { ENV, SERVICE_NAME } from '#shared/aws/env';
import { executionEnded, type ExecutionEndedEvent } from '#shared/events/execution-ended';
import { guardrailDocument, lockedTypes } from '#shared/rules/guardrail';
import { NAMES } from '../infra/names.ts';
import { startDynamo, TABLES } from './dynamodb.ts';
import { installClock, installedClock, uninstallClock } from '../simulator/clock.ts';
import { createEngine, type EngineOptions, type Execution, type TaskCall } from './engine.ts';
import { credentialsFor, principalArnOf, type SimState, type Simulator, type SimulatorOptions, startSimulator } from '../simulator/index.ts';

/** The simulated bucket the Report task writes to, as the stack's report bucket in AWS. */
export const LOCAL_REPORT_BUCKET = 'alternate-contacts-reports-local';


export interface LocalEnforcerOptions {
  readonly config: EnforcerConfig;
  /** Where the simulated organization runs; `aws` uses the operator's own credentials and endpoint settings. */
  readonly target: 'simulator' | 'aws';
  /** Simulator target: the organization to serve. */
  readonly organization?: SimState;
  /** Simulator target: the account the enforcer runs in (the management account, or a delegated administrator). */
  readonly enforcerAccountId?: string;
  /** Folder for DynamoDB's files, so idempotency records and results survive between runs; in memory when absent. */
  readonly dynamoPath?: string;
  /**
   * Folder where each running execution leaves a note with its process id. A note whose process is gone is a run that
   * died (killed, crashed): at start, its claims are released as on AWS (see runsEndedWithoutSuccess).
   */
  readonly executionsPath?: string;
  /**
   * Simulator target: simulated time runs this many times faster than the wall clock, for everything that waits
   * (simulator/clock.ts). Ignored for the AWS target, whose quotas and signatures live in real time. @default 1
   */
  readonly speedup?: number;
  /** Seeds the retry jitter, so a run repeats. @default 1 */
  readonly seed?: number;
  readonly quotaScale?: number;
  /** Simulator target: the delay before each AWS answer, in simulated ms. */
  readonly latencyMs?: number;
  /** Simulator target: called as each contact write lands, before it is answered. */
  readonly onContactWrite?: SimulatorOptions['onContactWrite'];
  /** AWS target, delegated administrator: the management account's role for the standalone branch. */
  readonly managementRoleArn?: string;
  /** Powertools log level for the tasks. @default WARN */
  readonly logLevel?: string;
  readonly onTask?: (call: TaskCall) => void;
  readonly onTransition?: EngineOptions['onTransition'];
  readonly definition?: EngineOptions['definition'];
  readonly loseOutput?: EngineOptions['loseOutput'];
  readonly stallAllowanceRealMs?: EngineOptions['stallAllowanceRealMs'];
}

/**
 * The whole product on one machine: the real state machine definition in the local engine, the real handlers
 * in-process, DynamoDB on dynalite, and AWS either simulated or real. The handlers read their settings from the
 * environment at import, exactly as in Lambda, so this sets the environment first and imports them after.
 * One per process: the handlers' module-scope clients keep the first environment.
 */
export async function startLocalEnforcer(options: LocalEnforcerOptions) {
  if (options.dynamoPath) mkdirSync(options.dynamoPath, { recursive: true });
  const dynamo = await startDynamo(options.dynamoPath);
  let simulator: Simulator | undefined;
  let enforcerAccountId: string;
  let managementRoleArn: string;
  let writerArn: string;

  if (options.target === 'simulator') {
    if (!options.organization || !options.enforcerAccountId) throw new Error('the simulator target needs an organization and an enforcer account');
    installClock(options.speedup ?? 1, options.seed ?? 1);
    simulator = await startSimulator({ state: options.organization, quotaScale: options.quotaScale, latencyMs: options.latencyMs, onContactWrite: options.onContactWrite });
    enforcerAccountId = options.enforcerAccountId;
    managementRoleArn = `arn:aws:iam::${simulator.state.managementAccountId}:role/${NAMES.managementRole}`;
    simulator.state.buckets = { ...simulator.state.buckets, [LOCAL_REPORT_BUCKET]: enforcerAccountId };
    // The tasks act as a role of their own, as each Lambda function does: a person's edits in the same account are
    // told apart from the enforcer's writes by it, as CloudTrail's sessionIssuer tells them apart on AWS.
    writerArn = `arn:aws:iam::${enforcerAccountId}:role/${LOCAL_TASK_ROLE_NAME}`;
    const { accessKeyId, secretAccessKey, sessionToken } = simulator.roleSession(writerArn, 'alternate-contacts-enforcer');
    deployGuardrail(simulator.state, options.config, [writerArn, managementRoleArn]);
    setEnv({
      AWS_ENDPOINT_URL: simulator.url,
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: secretAccessKey,
      AWS_SESSION_TOKEN: sessionToken,
      AWS_PROFILE: undefined,
      [ENV.TOPIC_ARN]: `arn:aws:sns:us-east-1:${enforcerAccountId}:alternate-contacts-report`,
      [ENV.SLACK_SECRET_NAME]: options.config.notifications.slackWebhookSecretName,
      [ENV.REPORT_BUCKET]: LOCAL_REPORT_BUCKET,
    });
  } else {
    // The operator's own credentials and endpoints, found as the AWS CLI finds them; no report delivery.
    setEnv({ [ENV.TOPIC_ARN]: undefined, [ENV.SLACK_SECRET_NAME]: undefined, [ENV.REPORT_BUCKET]: undefined });
    const sts = new STSClient({ region: process.env.AWS_REGION ?? 'us-east-1' });
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    enforcerAccountId = identity.Account ?? '';
    // CloudTrail's sessionIssuer names the session's role, as aws:PrincipalArn does.
    writerArn = principalArnOf(identity.Arn ?? '');
    sts.destroy();
    managementRoleArn = options.managementRoleArn ?? 'arn:aws:iam::000000000000:role/no-management-role-given';
  }

  setEnv({
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.url,
    [ENV.RUN_TABLE]: TABLES.run.name,
    [ENV.IDEMPOTENCY_TABLE]: TABLES.idempotency.name,
    [ENV.CONFIG_FILE]: writeConfig(options.config),
    [ENV.ENFORCER_ACCOUNT_ID]: enforcerAccountId,
    POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
    POWERTOOLS_LOG_LEVEL: options.logLevel ?? 'WARN',
    // CloudWatch reads metrics from Lambda's log; on a laptop they would only clutter the report.
    POWERTOOLS_METRICS_DISABLED: 'true',
  });

  // The identities the put task writes as: their own CloudTrail events start no run (tasks/resolve-targets.ts).
  setEnv({ [ENV.WRITER_ARNS]: [writerArn, managementRoleArn].join(',') });

  const engine = await createEngine({ accountId: enforcerAccountId, managementRoleArn, onTask: options.onTask, onTransition: options.onTransition, definition: options.definition, loseOutput: options.loseOutput, stallAllowanceRealMs: options.stallAllowanceRealMs });
  const releaseClaims = (await import('../tasks/release-claim.ts')).handler;
  const executions = runNotes(options.executionsPath);
  const executionArn = (name: string) => `arn:aws:states:us-east-1:${enforcerAccountId}:execution:alternate-contacts-enforcer:${name}`;
  /**
   * On AWS, an execution that fails, times out or is aborted sends its status change to EventBridge, and the stack's
   * rule hands it to release-claim (infra/constructs/claim-release.ts). Here the runner delivers the same event.
   */
  const endedWithoutSuccess = (name: string, status: ExecutionEndedEvent['detail']['status']) =>
    releaseClaims(executionEnded(executionArn(name), status), { functionName: 'alternate-contacts-release-claim', awsRequestId: crypto.randomUUID(), getRemainingTimeInMillis: () => 60_000 } as never);
  for (const dead of executions.dead()) {
    await endedWithoutSuccess(dead, 'ABORTED');
    executions.forget(dead);
  }

  let runs = 0;
  /** Starts one execution, named as the console would name it; abort() stops it as StopExecution would. */
  const start = (input: unknown, executionName = `local-${Date.now()}-${++runs}`) => {
    executions.note(executionName);
    const started = engine.start(input, executionName);
    const result = started.result.then(async (execution: Execution) => {
      if (execution.status !== 'SUCCEEDED') await endedWithoutSuccess(executionName, execution.status);
      executions.forget(executionName);
      return execution;
    });
    return { result, abort: started.abort };
  };
  return {
    engine,
    simulator,
    /** The simulated clock everything waits on (simulator target only). */
    clock: installedClock(),
    enforcerAccountId,
    start,
    run: (input: unknown, executionName?: string) => start(input, executionName).result,
    forgetHistory: () => dynamo.reset(),
    /** The local DynamoDB's wire layer: a test makes requests fail or lose their responses there. */
    dynamo,
    async close() {
      await simulator?.close();
      await dynamo.close();
      if (simulator) uninstallClock();
    },
  };
}

/** One note per running execution, holding the process id that runs it; none kept without a folder. */
function runNotes(folder: string | undefined) {
  if (folder) mkdirSync(folder, { recursive: true });
  const file = (name: string) => join(folder!, `${name}.json`);
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  };
  return {
    note: (name: string) => folder && writeFileSync(file(name), JSON.stringify({ pid: process.pid })),
    forget: (name: string) => folder && rmSync(file(name), { force: true }),
    /** Executions whose process is gone. */
    dead: (): string[] =>
      folder
        ? readdirSync(folder)
            .filter((entry) => entry.endsWith('.json'))
            .map((entry) => entry.slice(0, -'.json'.length))
            .filter((name) => !alive((JSON.parse(readFileSync(file(name), 'utf8')) as { pid: number }).pid))
        : [],
  };
}

export type LocalEnforcer = Awaited<ReturnType<typeof startLocalEnforcer>>;

/** The role the local tasks act as in the simulator. */
const LOCAL_TASK_ROLE_NAME = 'AlternateContactsEnforcerTasks';

function setEnv(values: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

/** The policy id the local run gives the guardrail (AWS makes one up at creation). */
const LOCAL_GUARDRAIL_POLICY_ID = 'p-contactguardrail';

/**
 * What a deploy does to the organization's SCPs: the configuration's guardrail attached to its targets, exempting the
 * roles the local tasks write as; without a guardrail, none (a redeploy without it deletes it).
 */
function deployGuardrail(state: SimState, config: EnforcerConfig, writerRoleArns: readonly string[]): void {
  const others = (state.policies ?? []).filter((policy) => policy.name !== NAMES.guardrailPolicy);
  const { guardrail } = config;
  if (!guardrail) {
    if (state.policies) state.policies = others;
    return;
  }
  const content = JSON.stringify(guardrailDocument(lockedTypes(config), writerRoleArns, guardrail.exemptPrincipalArns));
  state.policies = [...others, { id: LOCAL_GUARDRAIL_POLICY_ID, name: NAMES.guardrailPolicy, description: 'Alternate Contacts Enforcer contact guardrail', awsManaged: false, content, targets: [...guardrail.targets] }];
}

/** The handlers load the validated config from a file, as the bundled Lambda does. */
function writeConfig(config: EnforcerConfig): string {
  const path = join(mkdtempSync(join(tmpdir(), 'enforcer-config-')), 'config.json');
  writeFileSync(path, JSON.stringify(config));
  return path;
}
