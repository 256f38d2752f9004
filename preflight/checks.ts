import { CloudFormationClient, ListStackSetsCommand } from '@aws-sdk/client-cloudformation';
import { paginateListDelegatedAdministrators } from '@aws-sdk/client-organizations';
import { type EnforcerConfig, isExcluded } from '#shared/rules/config';
import { CONTACT_TYPES } from '#shared/rules/contacts';
import { HOME_REGION, SERVICE_PRINCIPALS } from '../infra/names.ts';
import type { CheckContext } from './check-context.ts';
import { cloudTrailCheck } from './cloudtrail-check.ts';
import { deployedChecks } from './deployed-checks.ts';
import { layerConflictsIn } from './layer-check.ts';
import { organizationFacts } from './facts.ts';
import { guardrailCheck } from './guardrail-check.ts';
import { describeError } from '#shared/rules/errors';
import { type CheckResult, fail, pass, resultOfError, skipped, warn } from './result.ts';
import { bootstrapCheck, trustedAccessCheck } from './prerequisite-checks.ts';
import { scpCheck } from './scp-check.ts';

export type { CheckResult, CheckStatus } from './result.ts';
export type { CheckContext } from './check-context.ts';

/**
 * The preflight's checks. Each makes read calls only (the list is in the README), and reports one line: PASS, FAIL
 * with the command or setting that fixes it, WARN, or SKIPPED with the reason it could not be made.
 */

export const ACCOUNT_SERVICE_PRINCIPAL = SERVICE_PRINCIPALS.account;
const CONTROL_TOWER_SERVICE_PRINCIPAL = SERVICE_PRINCIPALS.controlTower;

export interface PreflightOptions {
  readonly config: EnforcerConfig;
  /** The configuration file, named in the fixes. */
  readonly configFile: string;
  /** Only the checks with these ids, in their usual order. @default every check */
  readonly only?: readonly string[];
}

/** Every check, in order. Checks run one after another, so the output reads top down and no quota is strained. */
export async function runChecks(options: PreflightOptions): Promise<CheckResult[]> {
  const { config, configFile } = options;
  // Imported here: its module-scope clients read the environment the caller has just set (region, endpoint).
  const { getContact } = await import('#shared/aws/account-api');
  const facts = await organizationFacts();
  const { organizations, caller, organization, accounts, roots, servicePrincipals } = facts;
  const deployment = config.deployment;
  const delegated = deployment?.topology === 'delegated';
  const enforcerAccountId = delegated ? deployment.enforcerAccountId : deployment?.managementAccountId;
  const context: CheckContext = { config, configFile, delegated, enforcerAccountId, facts };
  const managedType = CONTACT_TYPES.find((type) => config.contacts[type]) ?? 'SECURITY';


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
        if (id.startsWith('ou-') && (await facts.organizationalUnitExists(id))) continue;
        unknown.push(`${path} names ${id}, which is not in the organization`);
      }
      const conflicts = await layerConflictsIn(config, all);
      if (unknown.length === 0 && conflicts.length === 0) {
        return pass('config-targets', `all ${named.length} account and OU ids in overrides and exclusions exist, and no account's layers contradict each other`);
      }
      const fixes = [
        ...(unknown.length > 0 ? [`correct or remove those ids in ${configFile} (aws organizations list-accounts, aws organizations list-organizational-units-for-parent --parent-id ${(await roots())[0] ?? '<root id>'})`] : []),
        ...(conflicts.length > 0 ? [`make those layers agree in ${configFile}, as each line says; until then each run fails that type of that account and writes nothing for it`] : []),
      ];
      return fail('config-targets', [...unknown, ...conflicts].join('; '), fixes.join('; '));
    }],
    ['trusted-access', () => trustedAccessCheck(context)],
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
    ['service-control-policies', () => scpCheck(context)],
    ['guardrail', () => guardrailCheck(context)],
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
    ['cdk-bootstrap', () => bootstrapCheck(context)],
    ['cloudtrail-delivery', () => cloudTrailCheck(context)],
    ...deployedChecks(context),
  ];

  const results: CheckResult[] = [];
  for (const [id, check] of checks) {
    if (options.only && !options.only.includes(id)) continue;
    try {
      results.push(await check());
    } catch (error) {
      // Never a PASS, and SKIPPED only when AWS says it cannot be told from here: a crash FAILs the check and the command.
      results.push(resultOfError(id, error));
    }
  }
  facts.close();
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

}

