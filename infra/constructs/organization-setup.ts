import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { AwsCustomResource, AwsSdkCall } from 'aws-cdk-lib/custom-resources';
import { PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { HOME_REGION, SERVICE_PRINCIPALS } from '../names.ts';
import { sdkCall } from './sdk-call.ts';

export interface OrganizationSetupProps {
  /**
   * Register this account as Account Management's delegated administrator.
   * @default - none: the single-account topology, where the management account calls the Account API itself
   */
  readonly delegatedAdministratorAccountId?: string;
  /**
   * Activate CloudFormation StackSets' trusted access, which a service-managed StackSet needs to be created.
   * @default false
   */
  readonly stackSetsAccess?: boolean;
}

// Organizations' actions that act on the organization as a whole take no resource narrower than "*"; the service
// principal they act for is their condition key.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsorganizations.html
const WHOLE_ORGANIZATION =
  'These Organizations and CloudFormation actions act on the organization as a whole and support no narrower resource; EnableAWSServiceAccess and RegisterDelegatedAdministrator are limited to their service principal by organizations:ServicePrincipal.';

/** An Organizations action allowed for one service principal only. */
const forPrincipal = (action: string, servicePrincipal: string) =>
  new PolicyStatement({ actions: [action], resources: ['*'], conditions: { StringEquals: { 'organizations:ServicePrincipal': servicePrincipal } } });

/**
 * The one-time Organizations setup that the templates depend on, made in the management account on every deploy
 * (each call is idempotent):
 * - trusted access for account.amazonaws.com, which the Account API needs for member accounts;
 * - in the delegated topology, the enforcer account as Account Management's delegated administrator;
 * - with the contact-change forwarding StackSet, CloudFormation StackSets' trusted access
 *   (ActivateOrganizationsAccess): without it a SERVICE_MANAGED StackSet fails to create and the stack rolls back.
 * Deleting the stack leaves all of them in place: other tools may rely on them.
 * https://docs.aws.amazon.com/organizations/latest/userguide/services-that-can-integrate-account.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-activate-trusted-access.html
 */
export class OrganizationSetup extends Construct {
  public readonly trustedAccess: AwsCustomResource;
  public readonly delegatedAdministrator?: AwsCustomResource;
  /** CloudFormation StackSets' trusted access: a service-managed StackSet depends on it. */
  public readonly stackSetsAccess?: AwsCustomResource;

  constructor(scope: Construct, id: string, props: OrganizationSetupProps = {}) {
    super(scope, id);
    const account = SERVICE_PRINCIPALS.account;
    // Enabling trusted access twice is no error.
    this.trustedAccess = this.call('TrustedAccess', [forPrincipal('organizations:EnableAWSServiceAccess', account)], {
      service: 'Organizations',
      action: 'enableAWSServiceAccess',
      parameters: { ServicePrincipal: account },
      physicalResourceId: PhysicalResourceId.of(`${account}-trusted-access`),
    });
    if (props.delegatedAdministratorAccountId) {
      this.delegatedAdministrator = this.call('DelegatedAdministrator', [forPrincipal('organizations:RegisterDelegatedAdministrator', account)], {
        service: 'Organizations',
        action: 'registerDelegatedAdministrator',
        parameters: { AccountId: props.delegatedAdministratorAccountId, ServicePrincipal: account },
        ignoreErrorCodesMatching: 'AccountAlreadyRegisteredException',
        physicalResourceId: PhysicalResourceId.of(`${account}-delegated-administrator-${props.delegatedAdministratorAccountId}`),
      });
      this.delegatedAdministrator.node.addDependency(this.trustedAccess);
    }
    if (props.stackSetsAccess) this.stackSetsAccess = this.activateStackSetsAccess();
  }

  /**
   * ActivateOrganizationsAccess enables trusted access for StackSets' principal and creates the management account's
   * StackSets service-linked role (…CloudFormationStackSetsOrgAdmin) on the caller's behalf, so the caller needs those
   * two as well, and the reads of the organization's state around them; activating it again is no error. AWS's guide
   * asks for an administrator and lists no actions: these are the calls the activation makes, and the only ones.
   * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ActivateOrganizationsAccess.html
   * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-activate-trusted-access.html
   */
  private activateStackSetsAccess(): AwsCustomResource {
    const stack = Stack.of(this);
    const serviceName = 'stacksets.cloudformation.amazonaws.com';
    return this.call(
      'StackSetsTrustedAccess',
      [
        new PolicyStatement({
          actions: ['cloudformation:ActivateOrganizationsAccess', 'organizations:DescribeOrganization', 'organizations:ListAWSServiceAccessForOrganization'],
          resources: ['*'],
        }),
        forPrincipal('organizations:EnableAWSServiceAccess', SERVICE_PRINCIPALS.stackSets),
        new PolicyStatement({
          actions: ['iam:CreateServiceLinkedRole'],
          resources: [`arn:${stack.partition}:iam::${stack.account}:role/aws-service-role/${serviceName}/AWSServiceRoleForCloudFormationStackSetsOrgAdmin`],
          conditions: { StringEquals: { 'iam:AWSServiceName': serviceName } },
        }),
      ],
      { service: 'CloudFormation', action: 'activateOrganizationsAccess', parameters: {}, physicalResourceId: PhysicalResourceId.of(`${SERVICE_PRINCIPALS.stackSets}-trusted-access`) },
    );
  }

  private call(id: string, statements: PolicyStatement[], call: Omit<AwsSdkCall, 'region'>): AwsCustomResource {
    // Organizations' endpoint is in us-east-1, whatever Region the stack is in; StackSets' organization access is
    // activated where the StackSet is administered, also us-east-1.
    const sdkCallInHome: AwsSdkCall = { ...call, region: HOME_REGION };
    return sdkCall(this, id, { onCreate: sdkCallInHome, onUpdate: sdkCallInHome, statements, wildcardResourceReason: WHOLE_ORGANIZATION });
  }
}
