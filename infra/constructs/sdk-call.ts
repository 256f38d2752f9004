import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsCustomResource, AwsCustomResourcePolicy, type AwsSdkCall } from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';

export interface SdkCallProps {
  /** Made when CloudFormation creates the resource. @default - none */
  readonly onCreate?: AwsSdkCall;
  /** Made when CloudFormation updates it (a changed call). @default - none */
  readonly onUpdate?: AwsSdkCall;
  /** Exactly what the calls need; never derived from the call, so each grant is written and reviewed. */
  readonly statements: readonly PolicyStatement[];
  /** Why a `Resource: *` in `statements` is the narrowest AWS supports; required when one has it. */
  readonly wildcardResourceReason?: string;
}

const LOG_GROUP_ID = 'AwsCustomResourceLogs';

/**
 * An AWS API call made by CloudFormation at deploy time (an AwsCustomResource), with the settings every such call in
 * this app shares: the SDK bundled in the CDK (no download at deploy time), and one log group per stack for the
 * provider function, kept 90 days and deleted with the stack. The provider is a singleton per stack that takes its
 * log group from the first resource that creates it, so every resource passes the same one.
 */
export function sdkCall(scope: Construct, id: string, props: SdkCallProps): AwsCustomResource {
  const resource = new AwsCustomResource(scope, id, {
    onCreate: props.onCreate,
    onUpdate: props.onUpdate,
    installLatestAwsSdk: false,
    logGroup: providerLogGroup(Stack.of(scope)),
    policy: AwsCustomResourcePolicy.fromStatements([...props.statements]),
  });
  if (props.wildcardResourceReason) Validations.of(resource).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: props.wildcardResourceReason });
  acknowledgeProvider(Stack.of(scope));
  return resource;
}

function providerLogGroup(stack: Stack): LogGroup {
  const existing = stack.node.tryFindChild(LOG_GROUP_ID);
  if (existing) return existing as LogGroup;
  // Nothing in it is worth keeping once the stack is gone: it logs the provider's own calls, never a contact.
  return new LogGroup(stack, LOG_GROUP_ID, { retention: RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });
}

/** The provider is one singleton function per stack, outside the constructs that use it. */
function acknowledgeProvider(stack: Stack): void {
  // SingletonFunction's construct id: 'AWS' and the uuid without dashes.
  const provider = stack.node.tryFindChild(`AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replaceAll('-', '')}`);
  if (!provider) return;
  Validations.of(provider).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: 'The AwsCustomResource provider is a CDK-managed singleton; it only writes its own logs.',
  });
}
