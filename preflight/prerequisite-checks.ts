import type { EnforcerConfig } from '#shared/rules/config';
import { CDK_BOOTSTRAP, SERVICE_PRINCIPALS } from '../infra/names.ts';
import type { CheckContext } from './check-context.ts';
import { describeStack, expectedStacks } from './deployed-checks.ts';
import { type CheckResult, fail, pass } from './result.ts';

/**
 * The organization-level prerequisites the synthesized templates depend on, each a check that FAILs with its fix:
 * - trusted access for every service principal a template needs (test/infra/prerequisites.test.ts walks the
 *   templates and keeps this list complete);
 * - the CDK bootstrap, new enough, in every account and Region a stack deploys to.
 */

/** Each service principal the configured templates need trusted access for, with the command that enables it. */
export function requiredTrustedAccess(config: EnforcerConfig): { principal: string; why: string; fix: string }[] {
  return [
    {
      principal: SERVICE_PRINCIPALS.account,
      why: 'every Account API call in organization context is AccessDenied',
      fix: `aws organizations enable-aws-service-access --service-principal ${SERVICE_PRINCIPALS.account}`,
    },
    // The service-managed StackSet that forwards members' contact edits fails to create, and the stack rolls back.
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-activate-trusted-access.html
    ...(config.triggers.contactChanged
      ? [{ principal: SERVICE_PRINCIPALS.stackSets, why: 'the contact-change forwarding StackSet (SERVICE_MANAGED) fails to create and the stack rolls back', fix: 'aws cloudformation activate-organizations-access --region us-east-1' }]
      : []),
  ];
}

export async function trustedAccessCheck({ config, facts }: CheckContext): Promise<CheckResult> {
  const enabled = await facts.servicePrincipals();
  const required = requiredTrustedAccess(config);
  const missing = required.filter((r) => !enabled.includes(r.principal));
  if (missing.length === 0) return pass('trusted-access', `trusted access is enabled for ${required.map((r) => r.principal).join(' and ')}`);
  return fail(
    'trusted-access',
    missing.map((m) => `trusted access for ${m.principal} is not enabled: ${m.why}`).join('; '),
    `${missing.map((m) => m.fix).join('; ')} (management account; or leave deployment.setupTrustedAccess on and the deploy does it)`,
  );
}

/** Every account and Region a stack of the configured topology deploys to, so `cdk bootstrap` must have run there. */
export function bootstrapTargets(config: EnforcerConfig): { account: string; region: string }[] {
  const seen = new Map(expectedStacks(config).map(({ account, region }) => [`${account}/${region}`, { account, region }]));
  return [...seen.values()];
}

/**
 * The CDK bootstrap of each account and Region the caller's account deploys to: the CDKToolkit stack's
 * BootstrapVersion output, which holds the version the templates' CheckBootstrapVersion rule reads from
 * /cdk-bootstrap/hnb659fds/version. Another account's bootstrap cannot be read with these credentials.
 * https://docs.aws.amazon.com/cdk/v2/guide/bootstrapping-env.html
 */
export async function bootstrapCheck({ config, facts }: CheckContext): Promise<CheckResult> {
  const self = await facts.caller();
  const targets = bootstrapTargets(config);
  const mine = targets.filter((t) => t.account === self);
  const problems: string[] = [];
  const fixes: string[] = [];
  const found: string[] = [];
  for (const { account, region } of mine) {
    const version = await bootstrapVersion(region);
    const where = `aws://${account}/${region}`;
    if (version !== undefined && version >= CDK_BOOTSTRAP.minimumVersion) {
      found.push(`${where} (version ${version})`);
      continue;
    }
    problems.push(version === undefined ? `${where} is not bootstrapped (no ${CDK_BOOTSTRAP.stackName} stack)` : `${where} has bootstrap version ${version}, the templates need ${CDK_BOOTSTRAP.minimumVersion} or later`);
    fixes.push(`npx cdk bootstrap ${where}`);
  }
  const elsewhere = targets.filter((t) => t.account !== self).map((t) => `aws://${t.account}/${t.region}`);
  const others = elsewhere.length > 0 ? `; ${elsewhere.join(', ')} belong to another account: checked when the preflight runs with its credentials` : '';
  if (problems.length > 0) return fail('cdk-bootstrap', `${problems.join('; ')}${others}`, `${fixes.join('; ')} (with this account's credentials; see the README's deploy lines)`);
  return pass('cdk-bootstrap', `bootstrapped: ${found.join(', ')}${others}`);
}

/** The bootstrap stack's version in `region`, 0 when it has no version output, undefined when there is no such stack. */
async function bootstrapVersion(region: string): Promise<number | undefined> {
  const stack = await describeStack(CDK_BOOTSTRAP.stackName, region);
  if (!stack) return undefined;
  return Number(stack.Outputs?.find((o) => o.OutputKey === 'BootstrapVersion')?.OutputValue ?? 0);
}
