import { GUARDRAIL_ACTIONS, guardrailDocument, isGuarded, lockedTypes, ROOT_ID_PATTERN, SCP_MAX_DIRECT_ATTACHMENTS } from '#shared/rules/guardrail';
import { enforcerWriterRoleArns, NAMES } from '../infra/names.ts';
import type { CheckContext } from './check-context.ts';
import { partitionOf } from './facts.ts';
import { type CheckResult, fail, skipped, warn } from './result.ts';
import { type AttachedPolicy, evaluateScps } from './scp.ts';

const SCP_TYPE = 'SERVICE_CONTROL_POLICY';
// The guardrail is read beside FullAWSAccess, which AWS attaches to every root, OU and account: only its Deny decides.
const FULL_AWS_ACCESS: AttachedPolicy = { id: 'p-FullAWSAccess', name: 'FullAWSAccess', content: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) };

/**
 * guardrail: can the configured SCP be attached, and would it leave the enforcer working? The SCP policy type is
 * enabled on the root, every target exists and has room for one more directly attached SCP (AWS allows 5), and the
 * document, read as the SCP evaluation reads it, denies none of the enforcer's write roles' calls. Always at least a
 * WARN: no SCP restricts the management account, so its contacts rely on the detective triggers.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
 */
export async function guardrailCheck(context: CheckContext): Promise<CheckResult> {
  const id = 'guardrail';
  const { config, configFile, enforcerAccountId, facts } = context;
  const { guardrail, deployment } = config;
  if (!guardrail) return skipped(id, `${configFile} has no guardrail section: hand edits are repaired, not prevented`);
  if (!deployment) return skipped(id, `${configFile} has no deployment section: the enforcer's write roles cannot be named`);

  const problems: { problem: string; fix: string }[] = [];
  const [rootId = ''] = await facts.roots();
  if (!(await facts.enabledPolicyTypes(rootId)).includes(SCP_TYPE)) {
    problems.push({ problem: `the ${SCP_TYPE} policy type is not enabled on ${rootId}`, fix: `aws organizations enable-policy-type --root-id ${rootId} --policy-type ${SCP_TYPE} (management account)` });
  }

  const attached: string[] = [];
  const deployedDocuments = new Set<string>();
  for (const target of guardrail.targets) {
    const exists = ROOT_ID_PATTERN.test(target) ? target === rootId : await facts.organizationalUnitExists(target);
    if (!exists) {
      problems.push({ problem: `guardrail.targets names ${target}, which is not in the organization`, fix: `correct guardrail.targets in ${configFile} (aws organizations list-organizational-units-for-parent --parent-id ${rootId})` });
      continue;
    }
    const policies = await facts.policiesFor(target);
    const deployed = policies.find((policy) => policy.name === NAMES.guardrailPolicy);
    if (deployed) {
      attached.push(target);
      deployedDocuments.add(deployed.content);
    } else if (policies.length >= SCP_MAX_DIRECT_ATTACHMENTS) {
      problems.push({
        problem: `${target} has ${policies.length} SCPs attached directly (${policies.map((p) => p.name).join(', ')}), the most AWS allows`,
        fix: `merge or detach one of them (aws organizations detach-policy --policy-id <id> --target-id ${target}), or target the OUs below ${target} instead`,
      });
    }
  }

  const writers = enforcerWriterRoleArns(partitionOf(await facts.organization()), deployment);
  const types = lockedTypes(config);
  // The document attached (a deploy, or a hand edit since), else the one a deploy would attach.
  const documents = deployedDocuments.size > 0 ? [...deployedDocuments] : [JSON.stringify(guardrailDocument(types, writers, guardrail.exemptPrincipalArns))];
  for (const content of documents) {
    const level = { targetId: 'the guardrail', policies: [FULL_AWS_ACCESS, { id: deployedDocuments.size > 0 ? 'attached' : 'to deploy', name: NAMES.guardrailPolicy, content }] };
    for (const principalArn of writers) {
      for (const action of GUARDRAIL_ACTIONS) {
        const verdict = evaluateScps([level], action, { principalArn, alternateContactTypes: types });
        if (verdict.kind !== 'allowed') {
          problems.push({
            problem: `the guardrail would stop the enforcer's ${principalArn} calling ${action}: ${verdict.reason}`,
            fix: `deploy again (cdk deploy) so ${NAMES.guardrailPolicy} exempts ${writers.join(' and ')} in ArnNotLike aws:PrincipalArn`,
          });
        }
      }
    }
  }
  if (problems.length > 0) return fail(id, problems.map((p) => p.problem).join('; '), problems.map((p) => p.fix).join('; '));

  const all = (await facts.accounts()).filter((account) => account.state === 'ACTIVE');
  const management = (await facts.organization()).MasterAccountId;
  const guarded = all.filter((account) => isGuarded(guardrail, account, management));
  const enforcer = all.find((account) => account.id === enforcerAccountId);
  const enforcerNote = enforcer && isGuarded(guardrail, enforcer, management) ? `; the enforcer account ${enforcer.id} is inside a target, and its writes pass by the exemption of its own roles` : '';
  const state = attached.length > 0 ? `attached to ${attached.join(', ')}` : `room for it on ${guardrail.targets.join(', ')}`;
  return warn(
    id,
    `${SCP_TYPE} is enabled on ${rootId}, ${state}; it locks ${types.join(', ')} on ${guarded.length} of the organization's ${all.length} ACTIVE accounts and denies none of the enforcer's writes (${writers.join(', ')})${enforcerNote}. ` +
      `The management account ${management} cannot be covered by any SCP: its contacts still rely on the detective triggers (contact-changed, the nightly run)`,
  );
}
