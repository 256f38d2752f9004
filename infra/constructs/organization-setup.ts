import { Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId, type AwsSdkCall } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { HOME_REGION } from '../names.ts';

const ACCOUNT_SERVICE_PRINCIPAL = 'account.amazonaws.com';

export interface OrganizationSetupProps {
  /**
   * Register this account as Account Management's delegated administrator.
   * @default - none: the single-account topology, where the management account calls the Account API itself
   */
  readonly delegatedAdministratorAccountId?: string;
}

/**
 * The one-time Organizations setup the Account API needs for member accounts: trusted access for
 * account.amazonaws.com and, in the delegated topology, the delegated administrator. Both calls are idempotent on
 * every deploy. Deleting the stack leaves both in place: other tools may rely on them.
 * https://docs.aws.amazon.com/organizations/latest/userguide/services-that-can-integrate-account.html
 */
export class OrganizationSetup extends Construct {
  public readonly trustedAccess: AwsCustomResource;
  public readonly delegatedAdministrator?: AwsCustomResource;

  constructor(scope: Construct, id: string, props: OrganizationSetupProps = {}) {
    super(scope, id);
    // Enabling trusted access twice is no error.
    this.trustedAccess = this.organizationsCall('TrustedAccess', 'organizations:EnableAWSServiceAccess', {
      service: 'Organizations',
      action: 'enableAWSServiceAccess',
      parameters: { ServicePrincipal: ACCOUNT_SERVICE_PRINCIPAL },
      physicalResourceId: PhysicalResourceId.of(`${ACCOUNT_SERVICE_PRINCIPAL}-trusted-access`),
    });
    if (props.delegatedAdministratorAccountId) {
      this.delegatedAdministrator = this.organizationsCall('DelegatedAdministrator', 'organizations:RegisterDelegatedAdministrator', {
        service: 'Organizations',
        action: 'registerDelegatedAdministrator',
        parameters: { AccountId: props.delegatedAdministratorAccountId, ServicePrincipal: ACCOUNT_SERVICE_PRINCIPAL },
        ignoreErrorCodesMatching: 'AccountAlreadyRegisteredException',
        physicalResourceId: PhysicalResourceId.of(`${ACCOUNT_SERVICE_PRINCIPAL}-delegated-administrator-${props.delegatedAdministratorAccountId}`),
      });
      this.delegatedAdministrator.node.addDependency(this.trustedAccess);
    }
    acknowledgeCustomResourceProvider(this);
  }

  private organizationsCall(id: string, permission: string, call: Omit<AwsSdkCall, 'region'>): AwsCustomResource {
    // Organizations' endpoint is in us-east-1, whatever Region the stack is in.
    const sdkCall: AwsSdkCall = { ...call, region: HOME_REGION };
    const resource = new AwsCustomResource(this, id, {
      onCreate: sdkCall,
      onUpdate: sdkCall,
      installLatestAwsSdk: false,
      policy: AwsCustomResourcePolicy.fromStatements([new PolicyStatement({ actions: [permission], resources: ['*'] })]),
    });
    Validations.of(resource).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: `${permission} acts on the organization as a whole and supports no narrower resource.`,
    });
    return resource;
  }
}

/** AwsCustomResource's provider is one singleton function per stack, outside the constructs that use it. */
export function acknowledgeCustomResourceProvider(scope: Construct): void {
  // SingletonFunction's construct id: 'AWS' and the uuid without dashes.
  const provider = Stack.of(scope).node.tryFindChild(`AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replaceAll('-', '')}`);
  if (!provider) return;
  Validations.of(provider).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: 'The AwsCustomResource provider is a CDK-managed singleton; it only writes its own logs.',
  });
}
