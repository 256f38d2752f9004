import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, Names, Stack, Stage, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type EnforcerConfig, usesTags } from '#shared/rules/config';
import { ENV } from '#shared/aws/env';
import { NAMES } from '../names.ts';
import { pascalCase, TASK_TIMEOUT_SECONDS, TASKS, type TaskName } from '../tasks.ts';
import { alternateContactStatement, managedContactTypes, memberAccountsArn, ownAccountArn, writeStatements } from './alternate-contact-access.ts';
import { EnforcerFunction } from './enforcer-function.ts';
import { transparentToLogicalIds } from './logical-ids.ts';
import type { Notifications } from './notifications.ts';
import { OrganizationsRead } from './organizations-read.ts';
import type { RunStore } from './run-store.ts';

// The two tasks that see the whole organization at once (their timeouts: TASK_TIMEOUT_SECONDS).
const MEMORY_SIZE: Partial<Record<TaskName, number>> = { 'list-accounts': 1024, report: 1024 };

export interface EnforcerFunctionsProps {
  /** The validated configuration: bundled with every function, and the source of the managed contact types. */
  readonly config: EnforcerConfig;
  /** The organization's management account. */
  readonly managementAccountId: string;
  /** The organization, `o-...`: member accounts' Account API ARNs contain it. */
  readonly organizationId: string;
  /**
   * The management-account role that get-contacts and put-contacts assume for the management account's own contacts
   * (delegated topology); they then get the fixed role names that role trusts.
   * @default - none: the single-account topology
   */
  readonly managementAccountRoleArn?: string;
  readonly runStore: RunStore;
  readonly notifications: Notifications;
  /** @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
}

/**
 * The state machine's nine task functions, each with a least-privilege role: each gets only what its task touches,
 * and the environment variable that names a resource travels with the grant to it.
 */
export class EnforcerFunctions extends Construct {
  public readonly functions: Readonly<Record<TaskName, EnforcerFunction>>;
  /** The roles the put task writes contacts as (the management role too, delegated): their events start no run. */
  public readonly writerRoleArns: readonly string[];

  constructor(scope: Construct, id: string, props: EnforcerFunctionsProps) {
    super(scope, id);
    transparentToLogicalIds(this);
    // Named after the enforcer (the scope), as before this construct existed: the bundles' asset hashes cover the name.
    this.functions = this.createFunctions(props, writeConfigFile(scope, props.config));
    this.grantStores(props);
    this.grantOrganizationsRead(props);
    this.grantAlternateContacts(props);

    this.writerRoleArns = [this.functions['put-contacts'].role.roleArn, ...(props.managementAccountRoleArn ? [props.managementAccountRoleArn] : [])];
    this.functions['resolve-targets'].lambda.addEnvironment(ENV.WRITER_ARNS, this.writerRoleArns.join(','));
  }

  private createFunctions(props: EnforcerFunctionsProps, configFile: string): Record<TaskName, EnforcerFunction> {
    // The management role's trust names these two, so they cannot carry generated names; a guardrail names the put
    // role in its exemption, and the preflight checks that exemption, so it gets its fixed name then too.
    const fixedRoleNames: Partial<Record<TaskName, string>> = props.managementAccountRoleArn
      ? { 'get-contacts': NAMES.getContactsRole, 'put-contacts': NAMES.putContactsRole }
      : props.config.guardrail
        ? { 'put-contacts': NAMES.putContactsRole }
        : {};
    const entries = TASKS.map((task) => [
      task,
      new EnforcerFunction(this, pascalCase(task), {
        task,
        configFile,
        roleName: fixedRoleNames[task],
        logRetention: props.logRetention,
        timeout: Duration.seconds(TASK_TIMEOUT_SECONDS[task]),
        memorySize: MEMORY_SIZE[task],
      }),
    ]);
    return Object.fromEntries(entries) as Record<TaskName, EnforcerFunction>;
  }

  /** The tables, the topic and the Slack secret, each to the tasks whose code uses it. */
  private grantStores({ runStore, notifications }: EnforcerFunctionsProps): void {
    const { idempotencyTable, runTable } = runStore;
    const fn = this.functions;
    const useIdempotencyTable = (task: TaskName) => fn[task].use(ENV.IDEMPOTENCY_TABLE, idempotencyTable.tableName, (f) => idempotencyTable.grantReadWriteData(f));
    const useRunTable = (task: TaskName, access: 'read' | 'readWrite') =>
      fn[task].use(ENV.RUN_TABLE, runTable.tableName, (f) => (access === 'read' ? runTable.grantReadData(f) : runTable.grantReadWriteData(f)));

    useIdempotencyTable('resolve-targets');
    useRunTable('list-accounts', 'readWrite');
    useRunTable('load-chunk', 'read');
    useRunTable('record-result', 'readWrite');
    useRunTable('report', 'readWrite');
    // Both release a run's idempotency claim when a new account could not finish, so its next event can run.
    useIdempotencyTable('report');
    useIdempotencyTable('release-claim');
    fn.report.use(ENV.TOPIC_ARN, notifications.topic.topicArn, (f) => notifications.grantPublish(f));
    const { slackWebhookSecretName } = notifications;
    if (slackWebhookSecretName) fn.report.use(ENV.SLACK_SECRET_NAME, slackWebhookSecretName, (f) => notifications.grantSlackSecretRead(f));
  }

  /**
   * list-accounts walks the organization, and names the OUs it finds by walking up with ListParents, which returns ids
   * only, so the report can name them: DescribeOrganizationalUnit gives an OU's name, and takes OU ARNs alone.
   * resolve-targets keys a new account's claim by the account's parent, so a move into its OU runs again.
   * https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribeOrganizationalUnit.html
   */
  private grantOrganizationsRead(props: EnforcerFunctionsProps): void {
    const organization = { managementAccountId: props.managementAccountId, organizationId: props.organizationId };
    new OrganizationsRead(this, 'OrganizationsRead', {
      ...organization,
      role: this.functions['list-accounts'].role,
      actions: [
        'organizations:DescribeOrganization',
        'organizations:ListRoots',
        'organizations:DescribeAccount',
        'organizations:ListOrganizationalUnitsForParent',
        'organizations:ListAccountsForParent',
        'organizations:ListParents',
        'organizations:DescribeOrganizationalUnit',
        // Account tags, read only when the configuration uses them (exclusions, overrides or values by tag).
        ...(usesTags(props.config) ? (['organizations:ListTagsForResource'] as const) : []),
      ],
    });
    new OrganizationsRead(this, 'ParentLookup', {
      ...organization,
      role: this.functions['resolve-targets'].role,
      actions: ['organizations:ListParents'],
    });
  }

  /** Get and put the managed contact types only, of member accounts and of the enforcer's own account. */
  private grantAlternateContacts(props: EnforcerFunctionsProps): void {
    const stack = Stack.of(this);
    const types = managedContactTypes(props.config);
    const resources = [memberAccountsArn(stack.partition, props.managementAccountId, props.organizationId), ownAccountArn(stack.partition, stack.account)];
    const callers = [
      [this.functions['get-contacts'], [alternateContactStatement('account:GetAlternateContact', resources, types)]],
      [this.functions['put-contacts'], writeStatements(props.config, resources)],
    ] as const;
    for (const [caller, statements] of callers) {
      for (const statement of statements) caller.role.addToPrincipalPolicy(statement);
      if (props.managementAccountRoleArn) {
        caller.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sts:AssumeRole'], resources: [props.managementAccountRoleArn] }));
      }
      Validations.of(caller.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:account::${props.managementAccountId}:account/${props.organizationId}/*]`,
        reason: 'Every member account of this one organization is a target, including accounts created later; the contact types are limited by account:AlternateContactTypes.',
      });
    }
  }
}

/** Writes the validated configuration into the cloud assembly once, for every function bundle to copy. */
function writeConfigFile(scope: Construct, config: EnforcerConfig): string {
  const outdir = Stage.of(scope)?.outdir ?? '.';
  mkdirSync(outdir, { recursive: true });
  const file = join(outdir, `${Names.uniqueId(scope)}.config.json`);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}
