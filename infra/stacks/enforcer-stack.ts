import { type CfnElement, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { AccountPrincipal, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { CfnEventBusPolicy, EventBus } from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import type { EnforcerConfig } from '#shared/rules/config';
import { AlternateContactsEnforcer } from '../constructs/alternate-contacts-enforcer.ts';
import { ContactChangeForwarding, organizationForwardingStatement } from '../constructs/contact-change-forwarding.ts';
import { keptLogicalId } from '../constructs/logical-ids.ts';
import { OrganizationSetup } from '../constructs/organization-setup.ts';
import { ContactGuardrail } from '../constructs/contact-guardrail.ts';
import { TRIGGER_EVENT_SOURCES } from '../constructs/trigger-rules.ts';
import { enforcerWriterRoleArns, eventBusArn, NAMES, roleArn } from '../names.ts';
import type { Deployment } from '../deployment.ts';

export interface EnforcerStackProps extends StackProps {
  readonly config: EnforcerConfig;
  readonly deployment: Deployment;
  /** @default true */
  readonly createSlackWebhookSecret?: boolean;
}

/**
 * The enforcer. Single topology: in the management account, listening on the default bus, with the Organizations
 * setup. Delegated topology: in the delegated administrator account, listening on a custom bus that only the
 * management account may send the account-creation events to.
 */
export class EnforcerStack extends Stack {
  public readonly enforcer: AlternateContactsEnforcer;
  /** The custom bus the management stack forwards to (delegated topology). */
  public readonly eventBus?: EventBus;
  /** The SCP that locks the managed contacts (single topology with a guardrail). */
  public readonly guardrail?: ContactGuardrail;

  constructor(scope: Construct, id: string, props: EnforcerStackProps) {
    super(scope, id, props);
    const { config, deployment } = props;
    const delegated = deployment.topology === 'delegated';

    if (delegated) this.eventBus = this.createEventBus(deployment.managementAccountId);
    this.enforcer = new AlternateContactsEnforcer(this, 'Enforcer', {
      config,
      managementAccountId: deployment.managementAccountId,
      organizationId: deployment.organizationId,
      managementAccountRoleArn: delegated ? roleArn(this.partition, deployment.managementAccountId, NAMES.managementRole) : undefined,
      eventBus: this.eventBus,
      createSlackWebhookSecret: props.createSlackWebhookSecret,
    });
    // Single topology: the management account is this one, and sets up what the Account API and the StackSet need.
    const setup = !delegated && deployment.setupTrustedAccess ? new OrganizationSetup(this, 'OrganizationSetup', { stackSetsAccess: config.triggers.contactChanged }) : undefined;
    // The deploy-time run reads member accounts in organization context: not before trusted access is on.
    if (setup) this.enforcer.triggers.deployRun?.node.addDependency(setup.trustedAccess);
    // Single topology: this stack is the management account's, where SCPs are managed (delegated: the management stack).
    if (!delegated && config.guardrail) {
      this.guardrail = new ContactGuardrail(this, 'ContactGuardrail', { config, guardrail: config.guardrail, writerRoleArns: enforcerWriterRoleArns(this.partition, deployment) });
    }
    if (config.triggers.contactChanged) this.admitMemberContactChanges(config, deployment.organizationId, setup);
    this.addNextSteps(config);
  }

  /**
   * The CDK's documented hook for a stack's naming scheme, here to keep the logical ids the enforcer's resources had
   * before it was split into constructs by concern (constructs/logical-ids.ts says why).
   */
  protected override allocateLogicalId(element: CfnElement): string {
    return keptLogicalId(element, this) ?? super.allocateLogicalId(element);
  }

  private createEventBus(managementAccountId: string): EventBus {
    const bus = new EventBus(this, 'AccountCreationBus', {
      eventBusName: NAMES.eventBus,
      description: 'Account-creation events forwarded from the management account',
    });
    bus.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AccountCreationEventsFromManagementAccount',
        principals: [new AccountPrincipal(managementAccountId)],
        actions: ['events:PutEvents'],
        resources: [bus.eventBusArn],
        conditions: { StringEquals: { 'events:source': [...TRIGGER_EVENT_SOURCES] } },
      }),
    );
    return bus;
  }

  /**
   * Member accounts forward their contact edits to this stack's bus. Single topology: this stack also deploys the
   * forwarding StackSet, and the bus is the management account's default bus. Delegated: the management stack deploys it.
   */
  private admitMemberContactChanges(config: EnforcerConfig, organizationId: string, setup: OrganizationSetup | undefined): void {
    if (this.eventBus) {
      this.eventBus.addToResourcePolicy(organizationForwardingStatement(organizationId, this.eventBus.eventBusArn));
      return;
    }
    const busArn = eventBusArn(this.partition, this.account, 'default');
    new CfnEventBusPolicy(this, 'DefaultBusOrganizationPolicy', {
      statementId: 'ContactChangesFromOrganizationMembers',
      eventBusName: 'default',
      statement: organizationForwardingStatement(organizationId, busArn).toStatementJson(),
    });
    const forwarding = new ContactChangeForwarding(this, 'ContactChangeForwarding', {
      enforcerBusArn: busArn,
      writerRoleArns: this.enforcer.writerRoleArns,
      organizationalUnitIds: config.triggers.contactChangedOrganizationalUnitIds,
    });
    if (setup?.stackSetsAccess) forwarding.stackSet.node.addDependency(setup.stackSetsAccess);
  }

  /**
   * What `cdk deploy` prints last: where the enforcer is and what to do right after deploying. A new stack's deploy
   * starts an audit of the whole organization (triggers.deploy, with triggers.firstDeploy: audit), so the next steps
   * are to read its report, then to enforce.
   */
  private addNextSteps(config: EnforcerConfig): void {
    const { stateMachineArn } = this.enforcer.stateMachine;
    const startExecution = (input: string) => `aws stepfunctions start-execution --region ${this.region} --state-machine-arn ${stateMachineArn} --input '${input}'`;
    const deployAudits = config.triggers.deploy && config.triggers.firstDeploy === 'audit';
    new CfnOutput(this, 'StateMachineArn', { value: stateMachineArn });
    new CfnOutput(this, 'ConsoleUrl', {
      description: 'Start a run here; input {"dryRun": true} for an audit that writes nothing',
      value: `https://${this.region}.console.aws.amazon.com/states/home?region=${this.region}#/statemachines/view/${stateMachineArn}`,
    });
    new CfnOutput(this, 'FirstAuditRun', {
      description: deployAudits
        ? 'The first deploy of this stack started an audit of every account, which writes nothing; its report arrives by e-mail and under LatestReport. To run it again:'
        : 'Next step: a first run in audit mode (reads and reports, writes nothing)',
      value: startExecution('{"dryRun": true}'),
    });
    new CfnOutput(this, 'EnforceAfterReview', {
      description:
        config.mode === 'audit'
          ? 'mode is audit, so every run is a dry run: once the audit report shows what you expect, set mode: enforce in the configuration and deploy again'
          : 'Once the audit report shows what you expect, write the contacts of every account now (the nightly run and account events already enforce):',
      value: config.mode === 'audit' ? 'mode: enforce, then npx cdk deploy' : startExecution('{}'),
    });
    const slackWebhookSecretName = config.notifications.slackWebhookSecretName;
    if (slackWebhookSecretName) {
      new CfnOutput(this, 'SlackWebhookSecretToFill', {
        description: 'Then: store the Slack incoming-webhook URL in this secret (the stack leaves it empty)',
        value: `aws secretsmanager put-secret-value --region ${this.region} --secret-id ${slackWebhookSecretName} --secret-string 'https://hooks.slack.com/services/...'`,
      });
    }
  }
}
