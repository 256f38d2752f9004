import { z } from 'zod';
import { eventSchema, parseEvent } from '../envelope.ts';
import type { TriggerDefinition } from './trigger.ts';

/**
 * What the deploy-time custom resource passes to StartExecution when the configuration's hash changed
 * (infra/constructs/enforcer-triggers.ts builds it with deployInput). Shaped as an event so that console input can
 * never be mistaken for it. `firstDeploy` marks the run CloudFormation starts when it creates the resource (a new
 * stack): a fact, not a request; resolve-targets makes that run a dry run unless `triggers.firstDeploy` is `enforce`.
 */
const DEPLOY_SOURCE = 'alternate-contacts-enforcer.deploy';
const DEPLOY_DETAIL_TYPE = 'Configuration Deployed';

const configHashSchema = z.string({ error: 'must be a string' }).regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hash in hex');

const configDeployed = eventSchema({
  source: DEPLOY_SOURCE,
  detailType: DEPLOY_DETAIL_TYPE,
  detail: z.strictObject({ configHash: configHashSchema, firstDeploy: z.literal(true, { error: 'must be true, or left out' }).optional() }, { error: 'must be an object' }),
});

/** The execution input for a deploy whose configuration hashes to `configHash`. */
export const deployInput = (configHash: string, { firstDeploy = false } = {}) => ({
  source: DEPLOY_SOURCE,
  'detail-type': DEPLOY_DETAIL_TYPE,
  detail: { configHash, ...(firstDeploy && { firstDeploy }) },
});

/** `firstDeploy`: the run a new stack's deploy starts, a dry run unless the configuration opts in. */
export interface DeployRun {
  readonly trigger: 'deploy';
  readonly configHash: string;
  readonly firstDeploy: boolean;
}

export const deploy: TriggerDefinition<DeployRun> = {
  trigger: 'deploy',
  source: DEPLOY_SOURCE,
  parse(input) {
    const { configHash, firstDeploy = false } = parseEvent(configDeployed, input).detail;
    return { trigger: 'deploy', configHash, firstDeploy };
  },
  // One run per configuration, however often CloudFormation asks.
  claimKey: (run) => `deploy:${run.configHash}`,
  switch: { key: 'deploy' },
  samples: [],
};
