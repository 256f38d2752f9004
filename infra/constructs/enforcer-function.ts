import { fileURLToPath } from 'node:url';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV, SERVICE_NAME } from '#shared/aws/env';
import type { TaskName } from '../tasks.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

// The validated configuration sits next to the handler; Lambda's working directory is the code root.
// https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
const BUNDLED_CONFIG = 'enforcer-config.json';
const BUNDLED_CONFIG_PATH = `/var/task/${BUNDLED_CONFIG}`;

// esbuild's ESM output has no `require`; some bundled CommonJS dependencies still call it.
const REQUIRE_SHIM = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

export interface EnforcerFunctionProps {
  /** The handler file under tasks/, without `.ts`, e.g. `get-contacts`; it exports `handler`. */
  readonly task: TaskName;
  /** The validated configuration as a JSON file on the synth machine; copied next to the bundle. */
  readonly configFile: string;
  /**
   * A fixed role name, for a role that another account's trust policy names.
   * @default - a generated name
   */
  readonly roleName?: string;
  /** @default Duration.seconds(60) */
  readonly timeout?: Duration;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
}

/**
 * The one place the Lambda defaults live: Node.js 24 on ARM, bundled locally by esbuild (no Docker), minified with
 * source maps, an explicit log group with retention, X-Ray tracing, and the validated configuration bundled as
 * `ENFORCER_CONFIG_FILE`. The role starts with nothing but its log group; callers grant the rest.
 */
export class EnforcerFunction extends Construct {
  public readonly lambda: NodejsFunction;
  public readonly role: Role;
  public readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: EnforcerFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention ?? RetentionDays.THREE_MONTHS });
    // An own role rather than AWSLambdaBasicExecutionRole: that policy may create any log group anywhere.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      roleName: props.roleName,
      description: `Alternate Contacts Enforcer ${props.task}`,
    });
    this.logGroup.grantWrite(this.role);

    this.lambda = new NodejsFunction(this, 'Function', {
      entry: `${REPO_ROOT}tasks/${props.task}.ts`,
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      handler: 'handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(60),
      role: this.role,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      environment: {
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        NODE_OPTIONS: '--enable-source-maps',
        [ENV.CONFIG_FILE]: BUNDLED_CONFIG_PATH,
        [ENV.ENFORCER_ACCOUNT_ID]: Stack.of(this).account,
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        banner: REQUIRE_SHIM,
        minify: true,
        sourceMap: true,
        // Bundle the SDK too: the versions the tests ran against are the versions that deploy.
        externalModules: [],
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir: string, outputDir: string) => [`cp "${props.configFile}" "${outputDir}/${BUNDLED_CONFIG}"`],
        },
      },
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions (added by tracing: ACTIVE).',
    });
  }

  /** Sets an environment variable together with the grant that makes it usable, so neither is ever forgotten. */
  public use(variable: string, value: string, grant: (fn: NodejsFunction) => unknown): void {
    this.lambda.addEnvironment(variable, value);
    grant(this.lambda);
  }
}
