import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { isDelegated, type LoadedDeployment, loadDeployment } from './deployment.ts';
import { HOME_REGION, NAMES, STACK_IDS } from './names.ts';
import { ControlTowerForwarderStack } from './stacks/control-tower-forwarder-stack.ts';
import { EnforcerStack } from './stacks/enforcer-stack.ts';
import { ManagementStack } from './stacks/management-stack.ts';

export { STACK_IDS };

/**
 * Adds the stacks of the configured topology to `app`, every account and Region taken from the configuration:
 * - single: the enforcer stack in the management account;
 * - delegated: the enforcer stack in the delegated administrator account, and the management stack;
 * - either: a Control Tower forwarder in the management account's Control Tower home Region when that is not us-east-1.
 * cdk-nag's AWS Solutions checks run on every synth.
 */
export function buildEnforcerApp(app: App, { config, deployment }: LoadedDeployment = loadDeployment(app)): void {
  const management = { account: deployment.managementAccountId, region: HOME_REGION };
  const delegated = isDelegated(deployment) ? deployment : undefined;

  const enforcer = new EnforcerStack(app, STACK_IDS.enforcer, {
    description: 'Alternate Contacts Enforcer: keeps every account\'s SECURITY, BILLING and OPERATIONS contacts right',
    env: { account: delegated?.enforcerAccountId ?? deployment.managementAccountId, region: HOME_REGION },
    config,
    deployment,
    createSlackWebhookSecret: app.node.tryGetContext('slackWebhookSecret') !== 'existing',
  });
  if (delegated) {
    const managementStack = new ManagementStack(app, STACK_IDS.management, {
      description: 'Alternate Contacts Enforcer, management account: event forwarding, management-account role, Organizations setup',
      env: management,
      config,
      deployment: delegated,
    });
    // `cdk deploy --all` order only (no references cross accounts): the delegated administrator is registered first.
    enforcer.addStackDependency(managementStack);
  }
  if (config.triggers.controlTower && deployment.controlTowerHomeRegion !== HOME_REGION) {
    const forwarder = new ControlTowerForwarderStack(app, STACK_IDS.controlTowerForwarder, {
      description: 'Alternate Contacts Enforcer: forwards Control Tower account events from its home Region to us-east-1',
      env: { account: deployment.managementAccountId, region: deployment.controlTowerHomeRegion },
      // Single: the management account's default bus, where the enforcer listens. Delegated: straight to the enforcer's bus.
      targetAccountId: delegated?.enforcerAccountId ?? deployment.managementAccountId,
      targetEventBusName: delegated ? NAMES.eventBus : 'default',
    });
    forwarder.addStackDependency(enforcer);
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}
