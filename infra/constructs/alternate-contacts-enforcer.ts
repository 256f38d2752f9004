import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { EnforcerConfig } from '#shared/rules/config';
import { EnforcerFunctions } from './enforcer-functions.ts';
import { EnforcerTriggers } from './enforcer-triggers.ts';
import { EnforcerWorkflow } from './enforcer-workflow.ts';
import { Notifications } from './notifications.ts';
import { RunReporting } from './run-reporting.ts';
import { RunStore } from './run-store.ts';

export interface AlternateContactsEnforcerProps {
  /** The validated configuration: bundled with every function, and the source of triggers, e-mails and managed types. */
  readonly config: EnforcerConfig;
  /** The organization's management account. */
  readonly managementAccountId: string;
  /** The organization, `o-...`: member accounts' Account API ARNs contain it. */
  readonly organizationId: string;
  /**
   * The management-account role that the state machine's management branch assumes (delegated topology). When set,
   * get-contacts and put-contacts get the fixed role names that role trusts, and may assume it.
   * @default - none: the single-account topology, where the management account is the enforcer's own account,
   * handled in standalone context, and the branch is never taken
   */
  readonly managementAccountRoleArn?: string;
  /**
   * The bus the rules listen on.
   * @default - the account's default event bus
   */
  readonly eventBus?: IEventBus;
  /**
   * Create the Slack webhook secret (empty: the URL never enters a template) rather than use an existing one by name.
   * Only applies when the configuration names a secret (notifications.slackWebhookSecretName).
   * @default true
   */
  readonly createSlackWebhookSecret?: boolean;
  /** @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
}

/**
 * The Alternate Contacts Enforcer, by concern; each part hands the next what it needs.
 *
 * Every resource keeps the logical id it had when this construct created them all itself (logical-ids.ts): a deploy
 * of this code over a stack of that time replaces nothing.
 */
export class AlternateContactsEnforcer extends Construct {
  /** The two tables a run keeps its claims, plan, results and stored report in. */
  public readonly store: RunStore;
  /** The report topic and its key, and the Slack secret. */
  public readonly notifications: Notifications;
  /** The nine task functions and their least-privilege grants. */
  public readonly functions: EnforcerFunctions;
  /** The state machine, its log group and its alarms. */
  public readonly workflow: EnforcerWorkflow;
  /** Every rule, the nightly schedule and the deploy-time run, with their dead-letter queue. */
  public readonly triggers: EnforcerTriggers;
  /** Each run's report files and the dashboard. */
  public readonly reporting: RunReporting;

  constructor(scope: Construct, id: string, props: AlternateContactsEnforcerProps) {
    super(scope, id);
    const { config } = props;
    const organization = { managementAccountId: props.managementAccountId, organizationId: props.organizationId, managementAccountRoleArn: props.managementAccountRoleArn };

    this.store = new RunStore(this, 'RunStore');
    this.notifications = new Notifications(this, 'Notifications', { notifications: config.notifications, createSlackWebhookSecret: props.createSlackWebhookSecret });
    this.functions = new EnforcerFunctions(this, 'Functions', { config, ...organization, runStore: this.store, notifications: this.notifications, logRetention: props.logRetention });
    const tasks = this.functions.functions;
    this.workflow = new EnforcerWorkflow(this, 'Workflow', { functions: tasks, ...organization, alarmTopic: this.notifications.topic, logRetention: props.logRetention });
    this.triggers = new EnforcerTriggers(this, 'Triggers', {
      config,
      stateMachine: this.stateMachine,
      eventBus: props.eventBus,
      writerRoleArns: this.writerRoleArns,
      releaseClaim: tasks['release-claim'].lambda,
      alarmTopic: this.notifications.topic,
    });
    this.reporting = new RunReporting(this, 'RunReporting', {
      reportFunction: tasks.report,
      functions: Object.values(tasks),
      stateMachine: this.stateMachine,
      deadLetterQueues: [this.triggers.deadLetterQueue.queue],
      retentionDays: config.reports.retentionDays,
    });
  }

  public get stateMachine(): StateMachine {
    return this.workflow.stateMachine;
  }

  /** The roles the put task writes contacts as (the management role too, delegated): their events start no run. */
  public get writerRoleArns(): readonly string[] {
    return this.functions.writerRoleArns;
  }
}
