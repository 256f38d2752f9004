import { ACCOUNT_SERVICE_PRINCIPAL, ORGANIZATIONS_MAX_RESULTS as MAX_RESULTS, ORGANIZATIONS_RATE, SCP_TYPE } from './aws-facts.ts';
import { policyArn, scpsEnabled } from './service-control-policies.ts';
import type { ServicePolicy, SimAccount } from './state.ts';
import { type Call, isDelegatedAdmin, type Quota, requiredInput, type Service, type Sim, SimError, stringInput, unknownOperation } from './service.ts';

/**
 * AWS Organizations (awsJson1_1): the read-only calls an account listing and the preflight need, with AWS's
 * pagination: the structure, trusted access, delegated administrators and service control policies.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccountsForParent.html
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListPoliciesForTarget.html
 */

const QUOTA: Quota = { bucket: 'organizations', ...ORGANIZATIONS_RATE };

function invalidInput(reason: string, message: string): SimError {
  return new SimError('InvalidInputException', message, 400, { Reason: reason });
}

/** One page of `items` under `key`, with an opaque NextToken while more remain. */
function page<T>(items: readonly T[], call: Call, key: string): Record<string, unknown> {
  const maxResults = call.input.MaxResults ?? MAX_RESULTS;
  if (typeof maxResults !== 'number' || !Number.isInteger(maxResults) || maxResults < 1) throw invalidInput('MIN_VALUE_EXCEEDED', 'MaxResults must be at least 1.');
  if (maxResults > MAX_RESULTS) throw invalidInput('MAX_VALUE_EXCEEDED', `MaxResults must be at most ${MAX_RESULTS}.`);
  const token = stringInput(call, 'NextToken');
  const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString());
  if (token !== undefined && !(Number.isInteger(start) && start > 0 && start < items.length)) {
    throw invalidInput('INVALID_NEXT_TOKEN', 'The NextToken is not valid.');
  }
  const end = start + maxResults;
  return { [key]: items.slice(start, end), NextToken: end < items.length ? Buffer.from(String(end)).toString('base64url') : undefined };
}

const LEGACY_STATUS: Record<SimAccount['status'], string> = {
  PENDING_ACTIVATION: 'ACTIVE',
  ACTIVE: 'ACTIVE',
  SUSPENDED: 'SUSPENDED',
  PENDING_CLOSURE: 'PENDING_CLOSURE',
  CLOSED: 'SUSPENDED',
};

export function organizationsService(sim: Sim): Service {
  const { state } = sim;
  const arn = (kind: string, id: string) => `arn:aws:organizations::${state.managementAccountId}:${kind}/${state.organizationId}/${id}`;
  const describeAccount = (account: SimAccount) => ({
    Id: account.id,
    Arn: arn('account', account.id),
    Email: account.email,
    Name: account.name,
    // The deprecated Status knows only ACTIVE, SUSPENDED and PENDING_CLOSURE; State has the whole life cycle.
    // https://docs.aws.amazon.com/organizations/latest/APIReference/API_Account.html
    Status: LEGACY_STATUS[sim.stateOf(account)],
    State: sim.stateOf(account),
    JoinedMethod: account.joinedMethod,
    JoinedTimestamp: Date.parse(account.joinedAt) / 1000,
  });
  const describeOu = (ou: { id: string; name: string }) => ({ Id: ou.id, Arn: arn('ou', ou.id), Name: ou.name });
  const isParent = (id: string) => state.roots.some((r) => r.id === id) || state.organizationalUnits.some((ou) => ou.id === id);

  function parentOf(call: Call): string {
    const parentId = requiredInput(call, 'ParentId');
    if (!isParent(parentId)) throw new SimError('ParentNotFoundException', 'We can\'t find a root or OU with the ParentId that you specified.');
    return parentId;
  }

  /** The management account and delegated administrators may read the organization; other members may only describe it. */
  function authorize(op: string, call: Call): void {
    const { accountId } = call.caller;
    if (!sim.account(accountId)) throw new SimError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
    if (op === 'DescribeOrganization' || accountId === state.managementAccountId || isDelegatedAdmin(state, accountId)) return;
    throw new SimError('AccessDeniedException', 'You don\'t have permissions to access this resource.');
  }

  const enabledPolicyTypes = (rootId: string) => {
    const root = state.roots.find((r) => r.id === rootId);
    const others = (root?.policyTypes ?? []).filter((type) => type !== SCP_TYPE);
    return [...(scpsEnabled(state, rootId) ? [SCP_TYPE] : []), ...others].map((Type) => ({ Type, Status: 'ENABLED' }));
  };
  const isTarget = (id: string) => isParent(id) || sim.account(id) !== undefined;
  const describePolicySummary = (policy: ServicePolicy) => ({
    Id: policy.id,
    Arn: policyArn(state, policy),
    Name: policy.name,
    Description: policy.description,
    Type: SCP_TYPE,
    AwsManaged: policy.awsManaged,
  });
  /** What trusted access the organization has granted, with the date AWS reports (the simulator's start). */
  const enabledServicePrincipals = () => [
    ...(state.trustedAccess ? [ACCOUNT_SERVICE_PRINCIPAL] : []),
    ...(state.stackSetsTrustedAccess ? ['member.org.stacksets.cloudformation.amazonaws.com'] : []),
    ...(state.controlTower ? ['controltower.amazonaws.com'] : []),
  ];

  function requireAllFeatures(): void {
    // Policies and trusted access exist only with all features enabled.
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_org_support-all-features.html
    if ((state.featureSet ?? 'ALL') !== 'ALL') {
      throw new SimError('AWSOrganizationsNotInUseException', 'This operation requires an organization with all features enabled.');
    }
  }

  const operations: Record<string, (call: Call) => unknown> = {
    DescribeOrganization: () => {
      const management = sim.account(state.managementAccountId);
      return {
        Organization: {
          Id: state.organizationId,
          Arn: `arn:aws:organizations::${state.managementAccountId}:organization/${state.organizationId}`,
          FeatureSet: state.featureSet ?? 'ALL',
          MasterAccountArn: arn('account', state.managementAccountId),
          MasterAccountId: state.managementAccountId,
          MasterAccountEmail: management?.email,
        },
      };
    },
    // PolicyTypes lists the types enabled on the root, each with its status.
    // https://docs.aws.amazon.com/organizations/latest/APIReference/API_Root.html
    ListRoots: (call) => page(state.roots.map((r) => ({ Id: r.id, Arn: arn('root', r.id), Name: r.name, PolicyTypes: enabledPolicyTypes(r.id) })), call, 'Roots'),
    ListOrganizationalUnitsForParent: (call) => {
      const parentId = parentOf(call);
      return page(state.organizationalUnits.filter((ou) => ou.parentId === parentId).map(describeOu), call, 'OrganizationalUnits');
    },
    ListAccountsForParent: (call) => {
      const parentId = parentOf(call);
      return page(state.accounts.filter((a) => a.parentId === parentId).map(describeAccount), call, 'Accounts');
    },
    ListAccounts: (call) => page(state.accounts.map(describeAccount), call, 'Accounts'),
    DescribeAccount: (call) => {
      const account = sim.account(requiredInput(call, 'AccountId'));
      if (!account) throw new SimError('AccountNotFoundException', 'You specified an account that doesn\'t exist.');
      return { Account: describeAccount(account) };
    },
    DescribeOrganizationalUnit: (call) => {
      const id = requiredInput(call, 'OrganizationalUnitId');
      const ou = state.organizationalUnits.find((o) => o.id === id);
      if (!ou) throw new SimError('OrganizationalUnitNotFoundException', 'We can\'t find an organizational unit (OU) with the OrganizationalUnitId that you specified.');
      return { OrganizationalUnit: describeOu(ou) };
    },
    ListAWSServiceAccessForOrganization: (call) => {
      requireAllFeatures();
      const enabledAt = sim.now() / 1000;
      return page(enabledServicePrincipals().map((principal) => ({ ServicePrincipal: principal, DateEnabled: enabledAt })), call, 'EnabledServicePrincipals');
    },
    ListDelegatedAdministrators: (call) => {
      const principal = stringInput(call, 'ServicePrincipal');
      const ids = [...new Set(state.delegatedAdministrators.filter((d) => principal === undefined || d.servicePrincipal === principal).map((d) => d.accountId))];
      const admins = ids.flatMap((id) => {
        const account = sim.account(id);
        return account ? [{ ...describeAccount(account), DelegationEnabledDate: Date.parse(account.joinedAt) / 1000 }] : [];
      });
      return page(admins, call, 'DelegatedAdministrators');
    },
    ListPoliciesForTarget: (call) => {
      requireAllFeatures();
      const targetId = requiredInput(call, 'TargetId');
      const filter = requiredInput(call, 'Filter');
      if (!isTarget(targetId)) throw new SimError('TargetNotFoundException', 'We can\'t find a root, OU, account, or policy with the TargetId that you specified.');
      const policies = filter === SCP_TYPE ? (state.policies ?? []).filter((p) => p.targets.includes(targetId)) : [];
      return page(policies.map(describePolicySummary), call, 'Policies');
    },
    DescribePolicy: (call) => {
      const policy = (state.policies ?? []).find((p) => p.id === requiredInput(call, 'PolicyId'));
      if (!policy) throw new SimError('PolicyNotFoundException', 'We can\'t find a policy with the PolicyId that you specified.');
      return { Policy: { PolicySummary: describePolicySummary(policy), Content: policy.content } };
    },
    // Tags are stored per account; roots, OUs and policies answer none.
    // https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListTagsForResource.html
    ListTagsForResource: (call) => {
      const resourceId = requiredInput(call, 'ResourceId');
      const account = sim.account(resourceId);
      if (!account && !isTarget(resourceId)) throw new SimError('TargetNotFoundException', 'We can\'t find a root, OU, account, or policy with the TargetId that you specified.');
      return page(Object.entries(account?.tags ?? {}).map(([Key, Value]) => ({ Key, Value })), call, 'Tags');
    },
    ListParents: (call) => {
      const childId = requiredInput(call, 'ChildId');
      const parentId = sim.account(childId)?.parentId ?? state.organizationalUnits.find((ou) => ou.id === childId)?.parentId;
      if (parentId === undefined) throw new SimError('ChildNotFoundException', 'We can\'t find an organizational unit (OU) or AWS account with the ChildId that you specified.');
      const type = state.roots.some((r) => r.id === parentId) ? 'ROOT' : 'ORGANIZATIONAL_UNIT';
      return page([{ Id: parentId, Type: type }], call, 'Parents');
    },
  };

  return {
    protocol: 'awsJson1_1',
    targetOf: (op, call) => stringInput(call, op === 'ListParents' ? 'ChildId' : op === 'ListTagsForResource' ? 'ResourceId' : 'AccountId'),
    quotaOf: () => QUOTA,
    handle: (op, call) => {
      const operation = operations[op];
      if (!operation) throw unknownOperation(op);
      authorize(op, call);
      return operation(call);
    },
  };
}
