import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { EventBus, type Rule } from 'aws-cdk-lib/aws-events';
import { EventBus as EventBusTarget } from 'aws-cdk-lib/aws-events-targets';
import { AccountPrincipal, Role } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { EnforcerConfig } from '#shared/rules/config';
import { alternateContactStatement, managedContactTypes, ownAccountArn, writeStatements } from '../constructs/alternate-contact-access.ts';
import { ContactChangeForwarding } from '../constructs/contact-change-forwarding.ts';
import { DeadLetterQueue } from '../constructs/dead-letter-queue.ts';
import { eventRules } from '../constructs/event-rules.ts';
import { OrganizationSetup } from '../constructs/organization-setup.ts';
import { enabledTriggerEvents } from '../constructs/trigger-rules.ts';
import type { DelegatedDeployment } from '../deployment.ts';
import { ContactGuardrail } from '../constructs/contact-guardrail.ts';
import { enforcerWriterRoleArns, eventBusArn, NAMES, roleArn } from '../names.ts';

export interface ManagementStackProps extends StackProps {
  readonly config: EnforcerConfig;
  readonly deployment: DelegatedDeployment;
}

/**
 * The management account's part of the delegated topology: forwards the account-creation events to the enforcer's
 * bus, holds the role the enforcer uses for the management account's own contacts (which only standalone context
 * can reach), and runs the Organizations setup.
 */
export class ManagementStack extends Stack {
  public readonly managementRole: Role;
  public readonly forwardingRules: readonly Rule[];
  public readonly deadLetterQueue: DeadLetterQueue;
  /** The SCP that locks the managed contacts, when the configuration has a guardrail. */
  public readonly guardrail?: ContactGuardrail;

  constructor(scope: Construct, id: string, props: ManagementStackProps) {
    super(scope, id, props);
    const { config, deployment } = props;

    this.deadLetterQueue = new DeadLetterQueue(this, 'ForwardingDeadLetterQueue', {
      purpose: 'An account or contact event forwarded to the Alternate Contacts Enforcer',
    });
    const enforcerBus = EventBus.fromEventBusArn(this, 'EnforcerBus', eventBusArn(this.partition, deployment.enforcerAccountId, NAMES.eventBus));
    // Event bus targets take no retry policy: EventBridge retries them for 24 hours, then uses the DLQ.
    // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
    // The management role writes this account's own contacts, the put task's role the members' (in its own account).
    const writers = enforcerWriterRoleArns(this.partition, deployment);
    this.forwardingRules = eventRules(this, 'ForwardingRulesRole', {
      events: enabledTriggerEvents(config, writers),
      prefix: 'Forward',
      target: (role) => new EventBusTarget(enforcerBus, { role, deadLetterQueue: this.deadLetterQueue.queue }),
    });

    const setup = deployment.setupTrustedAccess
      ? new OrganizationSetup(this, 'OrganizationSetup', { delegatedAdministratorAccountId: deployment.enforcerAccountId, stackSetsAccess: config.triggers.contactChanged })
      : undefined;
    if (config.triggers.contactChanged) {
      const forwarding = new ContactChangeForwarding(this, 'ContactChangeForwarding', {
        enforcerBusArn: enforcerBus.eventBusArn,
        writerRoleArns: writers,
        organizationalUnitIds: config.triggers.contactChangedOrganizationalUnitIds,
      });
      // A SERVICE_MANAGED StackSet fails to create, and the stack rolls back, until StackSets' trusted access is on.
      if (setup?.stackSetsAccess) forwarding.stackSet.node.addDependency(setup.stackSetsAccess);
    }

    this.managementRole = this.createManagementRole(config, deployment);
    // SCPs are managed from the management account: the guardrail lives here, beside the management role it exempts.
    if (config.guardrail) this.guardrail = new ContactGuardrail(this, 'ContactGuardrail', { config, guardrail: config.guardrail, writerRoleArns: writers });
    new CfnOutput(this, 'ManagementRoleArn', { value: this.managementRole.roleArn });
  }

  private createManagementRole(config: EnforcerConfig, deployment: DelegatedDeployment): Role {
    const callers = [NAMES.getContactsRole, NAMES.putContactsRole].map((name) => roleArn(this.partition, deployment.enforcerAccountId, name));
    // Trust the enforcer account, narrowed to the two caller roles by aws:PrincipalArn: a condition, unlike a role
    // principal, does not need the roles to exist yet, so the stacks deploy in either order.
    const role = new Role(this, 'ManagementAccountRole', {
      roleName: NAMES.managementRole,
      description: 'Lets the Alternate Contacts Enforcer read and write this management account\'s own alternate contacts',
      assumedBy: new AccountPrincipal(deployment.enforcerAccountId).withConditions({ ArnEquals: { 'aws:PrincipalArn': callers } }),
    });
    const resources = [ownAccountArn(this.partition, this.account)];
    const types = managedContactTypes(config);
    role.addToPrincipalPolicy(alternateContactStatement('account:GetAlternateContact', resources, types));
    for (const statement of writeStatements(config, resources)) role.addToPrincipalPolicy(statement);
    return role;
  }
}
