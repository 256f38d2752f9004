import { isExcluded } from '#shared/rules/config';
import { NAMES } from '../infra/names.ts';
import type { CheckContext } from './check-context.ts';
import { type CheckResult, fail, pass, warn } from './result.ts';
import { evaluateScps, type PolicyLevel, type ScpVerdict } from './scp.ts';

const ACCOUNT_ACTIONS = ['account:GetAlternateContact', 'account:PutAlternateContact'] as const;

/**
 * service-control-policies: a static reading of the SCPs above the enforcer's account (they bind every call it makes;
 * the management account is bound by none) and above the target accounts (a WARN: they bind principals inside those
 * accounts, not the enforcer's calls in organization context).
 */
export async function scpCheck(context: CheckContext): Promise<CheckResult> {
  const { config, enforcerAccountId, facts } = context;
  const { roots, accounts, organization, policiesFor } = facts;
  const id = 'service-control-policies';
  const [rootId] = await roots();
  const all = await accounts();
  const management = (await organization()).MasterAccountId;
  // The contact guardrail is left to the guardrail check, which reads its conditions (its exemption of the enforcer's
  // roles, the types it locks) where this reading would only see a Deny it cannot evaluate.
  const pathOf = async (ouPath: readonly string[], accountId?: string): Promise<PolicyLevel[]> =>
    Promise.all(
      [rootId ?? '', ...ouPath, ...(accountId ? [accountId] : [])].map(async (targetId) => ({
        targetId,
        policies: (await policiesFor(targetId)).filter((policy) => policy.name !== NAMES.guardrailPolicy),
      })),
    );
  const read = () => facts.policyTargetsRead();

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

