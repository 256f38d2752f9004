import type { App } from 'aws-cdk-lib';
import { DELEGATED, resourcesOf, STACK_IDS, templateOf } from './synth.ts';

/**
 * The resource types whose replacement would lose data or fail the deploy: tables, buckets, keys, topics, secrets,
 * log groups, queues, the state machine, the schedule, the StackSet, and the named event bus and guardrail policy
 * (a named resource cannot be replaced by one with the same name). CloudFormation replaces a resource whose logical id
 * changes: it creates one under the new id and deletes the old.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resources-section-structure.html
 */
export const STATEFUL_TYPES = [
  'AWS::DynamoDB::Table',
  'AWS::S3::Bucket',
  'AWS::KMS::Key',
  'AWS::SNS::Topic',
  'AWS::SecretsManager::Secret',
  'AWS::Logs::LogGroup',
  'AWS::SQS::Queue',
  'AWS::StepFunctions::StateMachine',
  'AWS::Scheduler::Schedule',
  'AWS::CloudFormation::StackSet',
  'AWS::Events::EventBus',
  'AWS::Organizations::Policy',
] as const;

/**
 * The synth contexts whose stacks are compared: both topologies, each with the Control Tower forwarder (a home Region
 * other than us-east-1), so every stack of the app is covered. These are contexts the other infra tests synthesize
 * too, so test/infra/synth.ts builds each once.
 */
export const TOPOLOGY_CONTEXTS = {
  single: { controlTowerHomeRegion: 'eu-west-1' },
  delegated: { ...DELEGATED, controlTowerHomeRegion: 'eu-west-1' },
} as const satisfies Record<string, Record<string, unknown>>;

/** Logical id → type, by stack id. */
export type StatefulLogicalIds = Record<string, Record<string, string>>;

/** Every stateful resource of every stack in `app`, by stack id, then logical id, with its type. */
export function statefulLogicalIds(app: App): StatefulLogicalIds {
  const stackIds = Object.values(STACK_IDS).filter((id) => app.node.tryFindChild(id));
  return Object.fromEntries(
    stackIds.map((stackId) => {
      const template = templateOf(app, stackId);
      const resources = STATEFUL_TYPES.flatMap((type) => Object.keys(resourcesOf(template, type)).map((logicalId) => [logicalId, type] as const));
      return [stackId, Object.fromEntries(resources.sort(([a], [b]) => a.localeCompare(b)))];
    }),
  );
}
