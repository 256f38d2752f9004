import { FULL_AWS_ACCESS_POLICY_ID, SCP_TYPE } from './aws-facts.ts';
import type { ServicePolicy, SimAccount, SimState } from './state.ts';

/**
 * The simulator's own statement of how AWS applies service control policies to a call, for what it models:
 * - an SCP binds the principals of the account it sits above, whatever account the call acts on; the management
 *   account is bound by none
 *   (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html);
 * - so a delegated administrator's call in organization context is governed by the SCPs above the administrator, and a
 *   member's standalone call by the SCPs above the member
 *   (https://docs.aws.amazon.com/accounts/latest/reference/using-orgs-example-scps.html);
 * - an explicit Deny in any SCP on the path root → OUs → account wins over every Allow, and without one the action
 *   must still be allowed by an SCP attached at every level of that path
 *   (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html).
 *   The Allow side is decided only when the organization stores FullAWSAccess, which AWS attaches to every root, OU
 *   and account: then its attachments are the whole picture, and a level it was detached from needs another Allow.
 *   A state that lists only the denies it cares about has each level's Allow taken as given.
 * - SCPs apply only while the SCP policy type is enabled on the root.
 * Conditions follow IAM's operators (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html);
 * an operator it does not model fails the call loudly rather than deciding it by guess.
 */

/** The condition keys of one request, lower-cased, each with its values (a single-valued key has one). */
export type RequestContext = ReadonlyMap<string, readonly string[]>;

interface Statement {
  readonly Effect?: string;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

const asList = (value: string | readonly string[] | undefined): readonly string[] => (value === undefined ? [] : typeof value === 'string' ? [value] : value);

/** `*` any run of characters, `?` any one. */
function glob(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}

/** ArnLike: each of the six colon-separated parts is matched on its own, so a wildcard never spans a colon but in the last. */
function arnLike(pattern: string, arn: string): boolean {
  const parts = (value: string) => {
    const split = value.split(':');
    return [...split.slice(0, 5), split.slice(5).join(':')];
  };
  const [want, have] = [parts(pattern), parts(arn)];
  return want.length === have.length && want.every((part, i) => glob(part, have[i]!));
}

const MATCHERS: Record<string, (pattern: string, value: string) => boolean> = {
  StringEquals: (p, v) => p === v,
  StringEqualsIgnoreCase: (p, v) => p.toLowerCase() === v.toLowerCase(),
  StringLike: (p, v) => glob(p, v),
  ArnEquals: arnLike,
  ArnLike: arnLike,
};

/** One condition (operator, key, the policy's values) against the request: IAM's rules for absent keys and value sets. */
function conditionHolds(operator: string, key: string, policyValues: readonly string[], context: RequestContext): boolean {
  const values = context.get(key.toLowerCase());
  if (operator === 'Null') return policyValues.includes(String(values === undefined));
  const [, set, base = '', ifExists] = /^(ForAnyValue:|ForAllValues:)?(.+?)(IfExists)?$/.exec(operator) ?? [];
  const negated = /^(String|Arn)Not/.test(base);
  const matcher = MATCHERS[base.replace(/^(String|Arn)Not/, '$1')];
  if (!matcher) throw new Error(`the simulator does not model the condition operator ${operator}`);
  // An absent key: IfExists and the negated operators hold, the others do not; ForAllValues holds on the empty set.
  if (values === undefined) return Boolean(ifExists) || (set === 'ForAllValues:' ? true : set === 'ForAnyValue:' ? false : negated);
  const matches = (value: string) => policyValues.some((pattern) => matcher(pattern, value));
  const holds = (value: string) => (negated ? !matches(value) : matches(value));
  return set === 'ForAllValues:' ? values.every(holds) : values.some(holds);
}

function applies(statement: Statement, action: string, resource: string, context: RequestContext): boolean {
  const actionListed = (list: Statement['Action']) => asList(list).some((pattern) => glob(pattern, action, true));
  if (statement.NotAction !== undefined ? actionListed(statement.NotAction) : !actionListed(statement.Action)) return false;
  const resourceListed = (list: Statement['Resource']) => asList(list).some((pattern) => arnLike(pattern, resource) || pattern === '*');
  if (statement.NotResource !== undefined ? resourceListed(statement.NotResource) : statement.Resource !== undefined && !resourceListed(statement.Resource)) return false;
  return Object.entries(statement.Condition ?? {}).every(([operator, entries]) =>
    Object.entries(entries).every(([key, values]) => conditionHolds(operator, key, asList(values), context)),
  );
}

const parsed = new Map<string, readonly Statement[]>();
function statementsOf(policy: ServicePolicy): readonly Statement[] {
  let statements = parsed.get(policy.content);
  if (!statements) {
    const document = JSON.parse(policy.content) as { Statement?: Statement | readonly Statement[] };
    statements = document.Statement === undefined ? [] : Array.isArray(document.Statement) ? document.Statement : [document.Statement as Statement];
    parsed.set(policy.content, statements);
  }
  return statements;
}

/** True when the organization enforces SCPs: all features, and the policy type enabled on the root (by default, when unsaid). */
export function scpsEnabled(state: SimState, rootId: string): boolean {
  const root = state.roots.find((r) => r.id === rootId);
  return (state.featureSet ?? 'ALL') === 'ALL' && (root?.policyTypes ?? [SCP_TYPE]).includes(SCP_TYPE);
}

/** The root, each OU down and the account itself: every target whose SCPs bind the account's principals. */
function pathOf(state: SimState, accountId: string, parentId: string): string[] {
  const parentOf = new Map(state.organizationalUnits.map((ou) => [ou.id, ou.parentId]));
  const path = [accountId];
  for (let id: string | undefined = parentId; id !== undefined; id = parentOf.get(id)) path.unshift(id);
  return path;
}

/** What the SCPs decide for one call: allowed, refused by a policy's explicit Deny, or refused at a level no SCP allows it at. */
export type ScpVerdict =
  | { readonly decision: 'allow' }
  | { readonly decision: 'explicitDeny'; readonly policy: ServicePolicy }
  | { readonly decision: 'implicitDeny'; readonly targetId: string };

/** Each policy's targets as a set, rebuilt when the list is replaced or grows or shrinks (FullAWSAccess has one per account). */
const targetSets = new WeakMap<readonly string[], { readonly size: number; readonly set: ReadonlySet<string> }>();
function isAttachedTo(policy: ServicePolicy, targetId: string): boolean {
  let known = targetSets.get(policy.targets);
  if (!known || known.size !== policy.targets.length) {
    known = { size: policy.targets.length, set: new Set(policy.targets) };
    targetSets.set(policy.targets, known);
  }
  return known.set.has(targetId);
}

const hasStatement = (policy: ServicePolicy, effect: 'Allow' | 'Deny', action: string, resource: string, context: RequestContext) =>
  statementsOf(policy).some((statement) => statement.Effect === effect && applies(statement, action, resource, context));

/** IAM's order for SCPs on a principal of the caller's account: explicit Deny first, then an Allow at every level. */
export function evaluateScps(state: SimState, caller: SimAccount, action: string, resource: string, context: RequestContext): ScpVerdict {
  const policies = state.policies ?? [];
  if (caller.id === state.managementAccountId || policies.length === 0) return { decision: 'allow' };
  const path = pathOf(state, caller.id, caller.parentId);
  if (!scpsEnabled(state, path[0]!)) return { decision: 'allow' };
  const attached = policies.filter((policy) => path.some((target) => isAttachedTo(policy, target)));
  const denying = attached.find((policy) => hasStatement(policy, 'Deny', action, resource, context));
  if (denying) return { decision: 'explicitDeny', policy: denying };
  if (!policies.some((policy) => policy.id === FULL_AWS_ACCESS_POLICY_ID)) return { decision: 'allow' };
  const unallowed = path.find((target) => !attached.some((policy) => isAttachedTo(policy, target) && hasStatement(policy, 'Allow', action, resource, context)));
  return unallowed === undefined ? { decision: 'allow' } : { decision: 'implicitDeny', targetId: unallowed };
}

/** A policy's ARN as Organizations names it: AWS managed ones under `aws`, the organization's own under its management account. */
export function policyArn(state: SimState, policy: ServicePolicy): string {
  return policy.awsManaged
    ? `arn:aws:organizations::aws:policy/service_control_policy/${policy.id}`
    : `arn:aws:organizations::${state.managementAccountId}:policy/${state.organizationId}/service_control_policy/${policy.id}`;
}

/** aws:PrincipalArn: an assumed role's session is known by its role's ARN, any other principal by its own. */
export function principalArnOf(callerArn: string): string {
  const session = /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(callerArn);
  return session ? `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` : callerArn;
}
