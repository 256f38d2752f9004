import { DescribeStacksCommand, CloudFormationClient, ListStackSetsCommand, type Stack } from '@aws-sdk/client-cloudformation';
import {
  DescribeOrganizationalUnitCommand,
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  type Organization,
  OrganizationsClient,
  paginateListAWSServiceAccessForOrganization,
  paginateListDelegatedAdministrators,
  paginateListPoliciesForTarget,
  paginateListRoots,
} from '@aws-sdk/client-organizations';
import { DescribeStateMachineCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { type EnforcerConfig, isExcluded } from '#shared/config';
import { CONTACT_TYPES } from '#shared/contacts';
import { HOME_REGION, STACK_IDS } from '../../infra/names.ts';
import { type AttachedPolicy, evaluateScps, type PolicyLevel, type ScpVerdict } from './scp.ts';

/**
 * The preflight's checks. Each makes read calls only (the list is in the README), and reports one line: PASS, FAIL
 * with the command or setting that fixes it, WARN, or SKIPPED with the reason it could not be made.
 */

export type CheckStatus = 'PASS' | 'FAIL' | 'WARN' | 'SKIPPED';

export interface CheckResult {
  readonly id: string;
  readonly status: CheckStatus;
  readonly detail: string;
  /** FAIL: the exact command or setting that fixes it. */
  readonly fix?: string;
}

export const ACCOUNT_SERVICE_PRINCIPAL = 'account.amazonaws.com';
const CONTROL_TOWER_SERVICE_PRINCIPAL = 'controltower.amazonaws.com';
const ACCOUNT_ACTIONS = ['account:GetAlternateContact', 'account:PutAlternateContact'] as const;

export interface PreflightOptions {
  readonly config: EnforcerConfig;
  /** The configuration file, named in the fixes. */
  readonly configFile: string;
}

const pass = (id: string, detail: string): CheckResult => ({ id, status: 'PASS', detail });
const fail = (id: string, detail: string, fix: string): CheckResult => ({ id, status: 'FAIL', detail, fix });
const warn = (id: string, detail: string): CheckResult => ({ id, status: 'WARN', detail });
const skipped = (id: string, detail: string): CheckResult => ({ id, status: 'SKIPPED', detail });

/** Memoizes a fact that several checks read, so each call is made once. */
function once<T>(read: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= read());
}

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Every check, in order. Checks run one after another, so the output reads top down and no quota is strained. */
export async function runChecks(options: PreflightOptions): Promise<CheckResult[]> {
  const { config, configFile } = options;
  // Imported here: their module-scope clients read the environment the caller has just set (region, endpoint).
  const { listOrganizationAccounts } = await import('#shared/organization');
  const { getContact } = await import('#shared/account-api');

  const region = { region: HOME_REGION };
  const sts = new STSClient(region);
  const organizations = new OrganizationsClient(region);
  const deployment = config.deployment;
  const delegated = deployment?.topology === 'delegated';
  const enforcerAccountId = delegated ? deployment.enforcerAccountId : deployment?.managementAccountId;
  const managedType = CONTACT_TYPES.find((type) => config.contacts[type]) ?? 'SECURITY';

  const caller = once(async () => (await sts.send(new GetCallerIdentityCommand({}))).Account ?? '');
  const organization = once(async (): Promise<Organization> => {
    const { Organization: found } = await organizations.send(new DescribeOrganizationCommand({}));
    if (!found) throw new Error('DescribeOrganization returned no organization');
    return found;
  });
  const accounts = once(() => listOrganizationAccounts());
  const roots = once(async () => {
    const ids: string[] = [];
    for await (const page of paginateListRoots({ client: organizations }, {})) ids.push(...(page.Roots ?? []).map((root) => root.Id ?? ''));
    return ids;
  });
  const servicePrincipals = once(async () => {
    const principals: string[] = [];
    for await (const page of paginateListAWSServiceAccessForOrganization({ client: organizations }, {})) {
      principals.push(...(page.EnabledServicePrincipals ?? []).map((p) => p.ServicePrincipal ?? ''));
    }
    return principals;
  });
  // FullAWSAccess is attached everywhere: each document is read once, whatever the number of targets.
  const documents = new Map<string, Promise<string>>();
  const documentOf = (policyId: string) => {
    let read = documents.get(policyId);
    if (!read) {
      read = organizations.send(new DescribePolicyCommand({ PolicyId: policyId })).then(({ Policy: policy }) => policy?.Content ?? '');
      documents.set(policyId, read);
    }
    return read;
  };
  const policiesOn = new Map<string, Promise<AttachedPolicy[]>>();
  const policiesFor = (targetId: string) => {
    let read = policiesOn.get(targetId);
    if (!read) {
      read = (async () => {
        const attached: AttachedPolicy[] = [];
        for await (const page of paginateListPoliciesForTarget({ client: organizations }, { TargetId: targetId, Filter: 'SERVICE_CONTROL_POLICY' })) {
          for (const summary of page.Policies ?? []) attached.push({ id: summary.Id ?? '', name: summary.Name ?? '', content: await documentOf(summary.Id ?? '') });
        }
        return attached;
      })();
      policiesOn.set(targetId, read);
    }
    return read;
  };

  const checks: [string, () => Promise<CheckResult>][] = [
    ['caller', async () => {
      const account = await caller();
      const org = await organization();
      const expected = delegated ? enforcerAccountId : org.MasterAccountId;
      const role = delegated ? 'the delegated administrator the enforcer runs in' : 'the management account';
      if (account === expected) return pass('caller', `credentials of account ${account}, ${role} (${deployment?.topology ?? 'single'} topology)`);
      return fail('caller', `credentials of account ${account}, not ${role} ${expected}`, `run it with ${role}'s credentials, e.g. AWS_PROFILE=${delegated ? 'security' : 'management'} npm run preflight -- --config ${configFile}`);
    }],
    ['all-features', async () => {
      const org = await organization();
      if (org.FeatureSet === 'ALL') return pass('all-features', `organization ${org.Id} has all features enabled`);
      return fail('all-features', `organization ${org.Id} has only ${org.FeatureSet}: no trusted access and no SCPs`, 'aws organizations enable-all-features (from the management account; every member account must accept the handshake)');
    }],
    ['config-ids', async () => {
      if (!deployment) return fail('config-ids', `${configFile} has no deployment section`, `add deployment: with topology, managementAccountId and organizationId to ${configFile}`);
      const org = await organization();
      const problems: string[] = [];
      const fixes: string[] = [];
      if (deployment.organizationId !== org.Id) {
        problems.push(`deployment.organizationId is ${deployment.organizationId}, the organization is ${org.Id}`);
        fixes.push(`deployment.organizationId: ${org.Id}`);
      }
      if (deployment.managementAccountId !== org.MasterAccountId) {
        problems.push(`deployment.managementAccountId is ${deployment.managementAccountId}, the management account is ${org.MasterAccountId}`);
        fixes.push(`deployment.managementAccountId: "${org.MasterAccountId}"`);
      }
      if (delegated) {
        const enforcer = (await accounts()).find((a) => a.id === deployment.enforcerAccountId);
        if (enforcer?.state !== 'ACTIVE') {
          problems.push(`deployment.enforcerAccountId ${deployment.enforcerAccountId} is ${enforcer ? enforcer.state : 'not an account of the organization'}`);
          fixes.push('deployment.enforcerAccountId: the id of an ACTIVE account (aws organizations list-accounts)');
        }
      }
      if (problems.length === 0) return pass('config-ids', `organizationId, managementAccountId${delegated ? ' and enforcerAccountId' : ''} match organization ${org.Id}`);
      return fail('config-ids', problems.join('; '), `set ${fixes.join(', ')} in ${configFile}`);
    }],
    ['config-targets', async () => {
      const all = await accounts();
      const accountIds = new Set(all.map((a) => a.id));
      const seenOus = new Set(all.flatMap((a) => a.ouPath));
      const named = [
        ...Object.keys(config.overrides.accounts).map((id) => ({ path: `overrides.accounts.${id}`, id })),
        ...config.exclusions.accountIds.map((id) => ({ path: 'exclusions.accountIds', id })),
        ...Object.keys(config.overrides.organizationalUnits).map((id) => ({ path: `overrides.organizationalUnits.${id}`, id })),
        ...config.exclusions.organizationalUnitIds.map((id) => ({ path: 'exclusions.organizationalUnitIds', id })),
      ];
      const unknown: string[] = [];
      for (const { path, id } of named) {
        if (accountIds.has(id) || seenOus.has(id)) continue;
        // An OU without accounts appears in no account's path: ask for it.
        if (id.startsWith('ou-') && (await organizationalUnitExists(organizations, id))) continue;
        unknown.push(`${path} names ${id}, which is not in the organization`);
      }
      if (unknown.length === 0) return pass('config-targets', `all ${named.length} account and OU ids in overrides and exclusions exist`);
      return fail('config-targets', unknown.join('; '), `correct or remove those ids in ${configFile} (aws organizations list-accounts, aws organizations list-organizational-units-for-parent --parent-id ${(await roots())[0] ?? '<root id>'})`);
    }],
    ['trusted-access', async () => {
      if ((await servicePrincipals()).includes(ACCOUNT_SERVICE_PRINCIPAL)) return pass('trusted-access', `trusted access for ${ACCOUNT_SERVICE_PRINCIPAL} is enabled`);
      return fail('trusted-access', `trusted access for ${ACCOUNT_SERVICE_PRINCIPAL} is not enabled: every call in organization context is AccessDenied`, `aws organizations enable-aws-service-access --service-principal ${ACCOUNT_SERVICE_PRINCIPAL} (management account)`);
    }],
    ['delegated-admin', async () => {
      if (!delegated) return skipped('delegated-admin', 'single topology: no delegated administrator is needed');
      const register = `aws organizations register-delegated-administrator --account-id ${deployment.enforcerAccountId} --service-principal ${ACCOUNT_SERVICE_PRINCIPAL} (management account)`;
      const admins: string[] = [];
      try {
        for await (const page of paginateListDelegatedAdministrators({ client: organizations }, { ServicePrincipal: ACCOUNT_SERVICE_PRINCIPAL })) {
          admins.push(...(page.DelegatedAdministrators ?? []).map((admin) => admin.Id ?? ''));
        }
      } catch (error) {
        // Organizations answers a member that is no delegated administrator at all with AccessDenied: from the
        // enforcer account itself, that refusal is the finding.
        if (!(error instanceof Error && /AccessDenied/.test(error.name)) || (await caller()) !== deployment.enforcerAccountId) throw error;
        return fail('delegated-admin', `Organizations refuses ListDelegatedAdministrators to ${deployment.enforcerAccountId}: it is no delegated administrator (or its role lacks organizations:ListDelegatedAdministrators)`, register);
      }
      if (admins.includes(deployment.enforcerAccountId ?? '')) return pass('delegated-admin', `${deployment.enforcerAccountId} is the registered delegated administrator for ${ACCOUNT_SERVICE_PRINCIPAL}`);
      return fail('delegated-admin', `${deployment.enforcerAccountId} is not a delegated administrator for ${ACCOUNT_SERVICE_PRINCIPAL} (registered: ${admins.join(', ') || 'none'})`, register);
    }],
    ['account-api-organization', async () => {
      const self = await caller();
      const management = (await organization()).MasterAccountId;
      const member = (await accounts()).find((a) => a.state === 'ACTIVE' && a.id !== management && a.id !== self && !isExcluded(config, a.id, a.ouPath));
      if (!member) return skipped('account-api-organization', 'no ACTIVE, non-excluded member account to read');
      return accountApiCheck('account-api-organization', `member account ${member.id} (${member.name}), organization context`, () => getContact({ accountId: member.id }, managedType, false), {
        fix: delegated
          ? `enable trusted access and register ${deployment.enforcerAccountId} (see trusted-access and delegated-admin), and allow account:GetAlternateContact on arn:aws:account::${management}:account/${deployment.organizationId}/* to the caller`
          : `enable trusted access (see trusted-access) and allow account:GetAlternateContact on arn:aws:account::${management}:account/${deployment?.organizationId}/* to the caller`,
      });
    }],
    ['account-api-standalone', async () => {
      const self = await caller();
      return accountApiCheck('account-api-standalone', `the caller's own account ${self}, standalone context`, () => getContact({}, managedType, false), {
        fix: `allow account:GetAlternateContact on arn:aws:account::${self}:account to the caller`,
      });
    }],
    ['service-control-policies', async () => scpCheck()],
    ['control-tower-region', async () => {
      if (!config.triggers.controlTower) return skipped('control-tower-region', 'triggers.controlTower is off');
      const homeRegion = deployment?.controlTowerHomeRegion ?? HOME_REGION;
      if (!(await servicePrincipals()).includes(CONTROL_TOWER_SERVICE_PRINCIPAL)) {
        return warn('control-tower-region', `Control Tower is not set up in this organization (${CONTROL_TOWER_SERVICE_PRINCIPAL} has no trusted access); set triggers.controlTower: false in ${configFile} if it never will be`);
      }
      if ((await caller()) !== (await organization()).MasterAccountId) {
        return skipped('control-tower-region', 'Control Tower\'s stack sets are in the management account: run the preflight there to check its home Region');
      }
      // Control Tower creates its AWSControlTowerBP-* stack sets in the management account's home Region only.
      const cloudFormation = new CloudFormationClient({ region: homeRegion });
      const { Summaries: stackSets = [] } = await cloudFormation.send(new ListStackSetsCommand({ Status: 'ACTIVE' }));
      if (stackSets.some((s) => s.StackSetName?.startsWith('AWSControlTowerBP-'))) {
        return pass('control-tower-region', `Control Tower's stack sets are in ${homeRegion}, the configured deployment.controlTowerHomeRegion`);
      }
      return fail(
        'control-tower-region',
        `no Control Tower stack sets (AWSControlTowerBP-*) in ${homeRegion}: Control Tower's home Region is another one, and its CreateManagedAccount events would never arrive`,
        `set deployment.controlTowerHomeRegion in ${configFile} to the home Region shown in Control Tower's Landing zone settings`,
      );
    }],
    ...deployedChecks(),
  ];

  const results: CheckResult[] = [];
  for (const [id, check] of checks) {
    try {
      results.push(await check());
    } catch (error) {
      // A check that cannot be made is never a PASS: denied, unsupported or unreachable, it says why.
      results.push(skipped(id, `could not be made: ${describeError(error)}`));
    }
  }
  sts.destroy();
  organizations.destroy();
  return results;

  async function accountApiCheck(id: string, what: string, read: () => Promise<unknown>, { fix }: { fix: string }): Promise<CheckResult> {
    try {
      await read();
      // The contact's values are sensitive: only that the API answered is reported.
      return pass(id, `the Account API answered GetAlternateContact (${managedType}) for ${what}, signed in us-east-1`);
    } catch (error) {
      if (error instanceof Error && /AccessDenied/.test(`${error.name} ${error.message}`)) return fail(id, `GetAlternateContact for ${what}: ${describeError(error)}`, fix);
      throw error;
    }
  }

  async function scpCheck(): Promise<CheckResult> {
    const id = 'service-control-policies';
    const [rootId] = await roots();
    const all = await accounts();
    const management = (await organization()).MasterAccountId;
    const pathOf = async (ouPath: readonly string[], accountId?: string): Promise<PolicyLevel[]> =>
      Promise.all([rootId ?? '', ...ouPath, ...(accountId ? [accountId] : [])].map(async (targetId) => ({ targetId, policies: await policiesFor(targetId) })));
    const read = () => [...policiesOn.keys()];

    // One finding per distinct reason, naming every action it stops and every place it was seen from.
    const findings = new Map<string, { status: 'FAIL' | 'WARN'; actions: Set<string>; regionDeny: boolean; policyId?: string; seenFrom: Set<string> }>();
    const record = (status: 'FAIL' | 'WARN', seenFrom: string, action: string, verdict: Exclude<ScpVerdict, { kind: 'allowed' }>) => {
      const key = `${status} ${verdict.reason}`;
      const finding = findings.get(key) ?? { status, actions: new Set(), regionDeny: verdict.kind === 'denied' && verdict.regionDeny, policyId: verdict.policy?.id, seenFrom: new Set() };
      finding.actions.add(action);
      finding.seenFrom.add(seenFrom);
      findings.set(key, finding);
    };
    // The enforcer's own account: its SCPs bind every call the enforcer makes. The management account has none.
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
    const enforcer = all.find((a) => a.id === enforcerAccountId);
    if (enforcer && enforcer.id !== management) {
      const path = await pathOf(enforcer.ouPath, enforcer.id);
      for (const action of ACCOUNT_ACTIONS) {
        const verdict = evaluateScps(path, action);
        if (verdict.kind !== 'allowed') record(verdict.kind === 'denied' ? 'FAIL' : 'WARN', `the enforcer account ${enforcer.id}`, action, verdict);
      }
    }
    // The target OUs: their SCPs bind principals inside those accounts, not the enforcer's calls in organization context.
    const targetPaths = new Map(all.filter((a) => a.state === 'ACTIVE' && !isExcluded(config, a.id, a.ouPath)).map((a) => [a.ouPath.join('/'), a.ouPath]));
    for (const ouPath of targetPaths.values()) {
      const path = await pathOf(ouPath);
      for (const action of ACCOUNT_ACTIONS) {
        const verdict = evaluateScps(path, action);
        if (verdict.kind !== 'allowed') record('WARN', `target OU ${ouPath.at(-1) ?? rootId}`, action, verdict);
      }
    }
    const describe = (f: { status: string; actions: Set<string>; seenFrom: Set<string> }, reason: string) =>
      `${reason.replace(/\bit\b/, [...f.actions].join(' and '))} (applies to ${[...f.seenFrom].join(', ')}${f.status === 'WARN' && ![...f.seenFrom].some((s) => s.startsWith('the enforcer')) ? '; it binds principals inside those accounts, not the enforcer\'s calls in organization context' : ''})`;
    const texts = [...findings].map(([key, f]) => ({ ...f, text: describe(f, key.slice(5)) }));
    const failed = texts.filter((f) => f.status === 'FAIL');
    const readText = `read the SCPs on ${read().join(', ')}`;
    if (failed.length > 0) {
      const regionDeny = failed.some((f) => f.regionDeny);
      const policyIds = [...new Set(failed.map((f) => f.policyId).filter(Boolean))];
      const fix = regionDeny
        ? `add "account:*" to the NotAction list of the Region-deny statement, then aws organizations update-policy --policy-id ${policyIds.join(' / ') || '<policy id>'} --content file://policy.json`
        : policyIds.length > 0
          ? `exempt the enforcer's roles from the Deny (e.g. a Condition ArnNotLike aws:PrincipalArn arn:aws:iam::*:role/AlternateContactsEnforcer-*) or remove account:GetAlternateContact/PutAlternateContact from it, then aws organizations update-policy --policy-id ${policyIds.join(' / ')} --content file://policy.json`
          : 'attach an SCP that allows account:GetAlternateContact and account:PutAlternateContact (e.g. FullAWSAccess) at every level above the enforcer account: aws organizations attach-policy --policy-id p-FullAWSAccess --target-id <id>';
      return fail(id, `${failed.map((f) => f.text).join('; ')} (${readText})`, fix);
    }
    if (texts.length > 0) return warn(id, `${texts.map((f) => f.text).join('; ')} (${readText})`);
    const enforcerNote = enforcer?.id === management ? 'the enforcer runs in the management account, which SCPs never restrict; ' : '';
    return pass(id, `${enforcerNote}no SCP denies ${ACCOUNT_ACTIONS.join(' or ')} (${readText})`);
  }

  /** Once deployed: the stacks in the caller's account, the state machine and its last execution. */
  function deployedChecks(): [string, () => Promise<CheckResult>][] {
    let enforcerStack: Stack | undefined;
    return [
      ['deployed-stacks', async () => {
        const self = await caller();
        const stacks = expectedStacks(config);
        const mine = stacks.filter((s) => s.account === self);
        const found: string[] = [];
        const missing: typeof mine = [];
        for (const stack of mine) {
          const described = await describeStack(stack.id, stack.region);
          if (described) found.push(`${stack.id} (${described.StackStatus})`);
          else missing.push(stack);
          if (stack.id === STACK_IDS.enforcer) enforcerStack = described;
        }
        const elsewhere = stacks.filter((s) => s.account !== self).map((s) => `${s.id} is in account ${s.account}: run the preflight there`);
        if (found.length === 0) return skipped('deployed-stacks', `not deployed yet: none of ${mine.map((s) => s.id).join(', ')} exists in ${self}${elsewhere.length ? `; ${elsewhere.join('; ')}` : ''}`);
        if (missing.length > 0) {
          return fail('deployed-stacks', `found ${found.join(', ')}; missing ${missing.map((s) => `${s.id} (${s.region})`).join(', ')}`, `npx cdk deploy ${missing.map((s) => s.id).join(' ')} --exclusively (see the README's Deploy section for your topology)`);
        }
        return pass('deployed-stacks', `found ${found.join(', ')}${elsewhere.length ? `; ${elsewhere.join('; ')}` : ''}`);
      }],
      ['state-machine', async () => {
        const arn = enforcerStack?.Outputs?.find((o) => o.OutputKey === 'StateMachineArn')?.OutputValue;
        if (!arn) return skipped('state-machine', 'the enforcer stack is not deployed in this account, or has no StateMachineArn output');
        const sfn = new SFNClient(region);
        const machine = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
        const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 1 }));
        sfn.destroy();
        const last = executions[0];
        const lastText = last ? `last execution ${last.name}: ${last.status} (started ${last.startDate?.toISOString()})` : 'no execution yet';
        if (last && ['FAILED', 'TIMED_OUT', 'ABORTED'].includes(last.status ?? '')) {
          return warn('state-machine', `${machine.name} is ${machine.status}; ${lastText}: aws stepfunctions describe-execution --execution-arn ${last.executionArn}`);
        }
        return pass('state-machine', `${machine.name} is ${machine.status}; ${lastText}`);
      }],
    ];
  }
}

async function organizationalUnitExists(organizations: OrganizationsClient, id: string): Promise<boolean> {
  try {
    await organizations.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: id }));
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'OrganizationalUnitNotFoundException') return false;
    throw error;
  }
}

async function describeStack(stackName: string, region: string): Promise<Stack | undefined> {
  const cloudFormation = new CloudFormationClient({ region });
  try {
    const { Stacks: [stack] = [] } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    return stack;
  } catch (error) {
    // CloudFormation answers a stack that does not exist with a ValidationError.
    if (error instanceof Error && error.name === 'ValidationError' && /does not exist/.test(error.message)) return undefined;
    throw error;
  }
  finally {
    cloudFormation.destroy();
  }
}

/** The stacks the configured topology deploys, each with its account and Region (as infra/enforcer-app.ts builds them). */
export function expectedStacks(config: EnforcerConfig): { id: string; account: string; region: string }[] {
  const deployment = config.deployment;
  if (!deployment) return [];
  const management = deployment.managementAccountId;
  const delegated = deployment.topology === 'delegated' ? deployment.enforcerAccountId : undefined;
  return [
    { id: STACK_IDS.enforcer, account: delegated ?? management, region: HOME_REGION },
    ...(delegated ? [{ id: STACK_IDS.management, account: management, region: HOME_REGION }] : []),
    ...(config.triggers.controlTower && deployment.controlTowerHomeRegion !== HOME_REGION
      ? [{ id: STACK_IDS.controlTowerForwarder, account: management, region: deployment.controlTowerHomeRegion }]
      : []),
  ];
}

