import { Stack, Validations } from 'aws-cdk-lib';
import { type IRole, Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

// Which Organizations actions take which resource types (root, ou, account) and which take only "*".
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsorganizations.html
export type OrganizationsReadAction =
  | 'organizations:DescribeOrganization'
  | 'organizations:ListRoots'
  | 'organizations:DescribeAccount'
  | 'organizations:ListAccountsForParent'
  | 'organizations:ListOrganizationalUnitsForParent'
  | 'organizations:ListParents'
  | 'organizations:DescribeOrganizationalUnit'
  | 'organizations:ListTagsForResource';

type ResourceKind = 'root' | 'ou' | 'account';
const RESOURCE_KINDS: Record<OrganizationsReadAction, readonly ResourceKind[]> = {
  'organizations:DescribeOrganization': [],
  'organizations:ListRoots': [],
  'organizations:DescribeAccount': ['account'],
  // The parent is a root or an OU.
  'organizations:ListAccountsForParent': ['root', 'ou'],
  'organizations:ListOrganizationalUnitsForParent': ['root', 'ou'],
  // The child is an account or an OU.
  'organizations:ListParents': ['account', 'ou'],
  'organizations:DescribeOrganizationalUnit': ['ou'],
  // Only accounts' tags are read.
  'organizations:ListTagsForResource': ['account'],
};

const REASONS: Record<ResourceKind | '*', string> = {
  '*': 'DescribeOrganization and ListRoots support no resource-level permissions (Service Authorization Reference, AWS Organizations).',
  root: 'Every root of this one organization: the walk starts at the root, whose id is learnt from ListRoots.',
  ou: 'Every OU of this one organization, including OUs created later: the walk visits each of them.',
  account: 'Every account of this one organization, including accounts created later.',
};

export interface OrganizationsReadProps {
  readonly role: IRole;
  readonly actions: readonly OrganizationsReadAction[];
  /** The organization's management account: Organizations ARNs carry it. */
  readonly managementAccountId: string;
  /** `o-...` */
  readonly organizationId: string;
}

/**
 * Read access to one organization's structure, narrowed to its root, OU and account ARNs wherever the action supports
 * resource-level permissions; "*" only for the actions that take no resource.
 */
export class OrganizationsRead extends Construct {
  public readonly policy: Policy;

  constructor(scope: Construct, id: string, props: OrganizationsReadProps) {
    super(scope, id);
    const { partition } = Stack.of(this);
    const arnOf = (kind: ResourceKind) => `arn:${partition}:organizations::${props.managementAccountId}:${kind}/${props.organizationId}/*`;
    const byResources = new Map<string, OrganizationsReadAction[]>();
    for (const action of props.actions) {
      const key = RESOURCE_KINDS[action].join(',');
      byResources.set(key, [...(byResources.get(key) ?? []), action]);
    }
    const statements = [...byResources].map(([kinds, actions]) => {
      const resources = kinds === '' ? ['*'] : (kinds.split(',') as ResourceKind[]).map(arnOf);
      return new PolicyStatement({ actions, resources });
    });
    this.policy = new Policy(this, 'Policy', { roles: [props.role], statements });

    const used = new Set<ResourceKind | '*'>(props.actions.flatMap((action): readonly (ResourceKind | '*')[] => (RESOURCE_KINDS[action].length === 0 ? ['*'] : RESOURCE_KINDS[action])));
    Validations.of(this.policy).acknowledge(
      ...[...used].map((kind) => ({
        id: `AwsSolutions-IAM5[Resource::${kind === '*' ? '*' : `arn:<AWS::Partition>:organizations::${props.managementAccountId}:${kind}/${props.organizationId}/*`}]`,
        reason: REASONS[kind],
      })),
    );
  }
}
