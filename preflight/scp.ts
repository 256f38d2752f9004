/**
 * A static reading of service control policies: would they stop an action the enforcer makes? SCPs are evaluated
 * level by level (root, each OU down, the account): a request needs an Allow at every level and no Deny anywhere.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
 * The Account API signs every call in us-east-1, so that is the aws:RequestedRegion a Region-deny policy sees.
 * https://docs.aws.amazon.com/accounts/latest/reference/API_GetAlternateContact.html
 */

export const ACCOUNT_API_REGION = 'us-east-1';

export interface ScpStatement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface AttachedPolicy {
  readonly id: string;
  readonly name: string;
  /** The policy document, a JSON string as DescribePolicy returns it. */
  readonly content: string;
}

/** One level of the path to an account: the root, an OU or the account, with the SCPs attached to it. */
export interface PolicyLevel {
  readonly targetId: string;
  readonly policies: readonly AttachedPolicy[];
}

export type ScpVerdict =
  /** Explicitly denied, or allowed by nothing at some level. */
  | { readonly kind: 'denied'; readonly reason: string; readonly policy?: AttachedPolicy; readonly regionDeny: boolean }
  /** Denied under a condition this reading cannot evaluate (e.g. aws:PrincipalArn). */
  | { readonly kind: 'conditional'; readonly reason: string; readonly policy: AttachedPolicy }
  | { readonly kind: 'allowed' };

const list = (value: string | readonly string[] | undefined): readonly string[] => (value === undefined ? [] : typeof value === 'string' ? [value] : value);

/** IAM's action matching: case-insensitive, `*` any run of characters, `?` any one. */
export function actionMatches(pattern: string, action: string): boolean {
  return wildcardMatches(pattern, action, true);
}

function wildcardMatches(pattern: string, value: string, ignoreCase: boolean): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, ignoreCase ? 'i' : '').test(value);
}

function coversAction(statement: ScpStatement, action: string): boolean {
  if (statement.NotAction !== undefined) return !list(statement.NotAction).some((pattern) => actionMatches(pattern, action));
  return list(statement.Action).some((pattern) => actionMatches(pattern, action));
}

type ConditionOutcome = 'applies' | 'does-not-apply' | { readonly unknownKeys: readonly string[] };

/**
 * What the reading knows of one request beyond its Region: the calling principal (aws:PrincipalArn, an IAM role ARN)
 * and the contact types it touches (account:AlternateContactTypes). Keys left out stay unknown.
 */
export interface RequestFacts {
  readonly principalArn?: string;
  readonly alternateContactTypes?: readonly string[];
}

/** The request's condition keys, lower-cased; aws:RequestedRegion is always us-east-1 for the Account API. */
function contextOf(facts: RequestFacts): Map<string, readonly string[]> {
  return new Map<string, readonly string[]>([
    ['aws:requestedregion', [ACCOUNT_API_REGION]],
    ...(facts.principalArn ? [['aws:principalarn', [facts.principalArn]] as const] : []),
    ...(facts.alternateContactTypes ? [['account:alternatecontacttypes', facts.alternateContactTypes] as const] : []),
  ]);
}

// String and ARN operators, single- or multi-valued; the ARN ones match like StringLike on the whole ARN, which is
// exact for the patterns the guardrail writes (a wildcard never spanning a colon in them).
const UNDERSTOOD_OPERATOR = /^(ForAnyValue:|ForAllValues:)?(String|Arn)(Not)?(Equals|Like)(IgnoreCase)?$/;

/** Evaluates the conditions this reading understands, for a call signed in us-east-1 with the request facts given. */
function conditionOutcome(statement: ScpStatement, facts: RequestFacts): ConditionOutcome {
  const unknownKeys: string[] = [];
  const context = contextOf(facts);
  for (const [operator, entries] of Object.entries(statement.Condition ?? {})) {
    for (const [key, values] of Object.entries(entries)) {
      const known = context.get(key.toLowerCase());
      const [, set, , negated, , ignoreCase] = UNDERSTOOD_OPERATOR.exec(operator) ?? [];
      if (!known || !UNDERSTOOD_OPERATOR.test(operator)) {
        unknownKeys.push(`${operator} ${key}`);
        continue;
      }
      const matches = (value: string) => list(values).some((pattern) => wildcardMatches(pattern, value, Boolean(ignoreCase)));
      const holds = (value: string) => (negated ? !matches(value) : matches(value));
      if (!(set === 'ForAllValues:' ? known.every(holds) : known.some(holds))) return 'does-not-apply';
    }
  }
  return unknownKeys.length > 0 ? { unknownKeys } : 'applies';
}

const isRegionDeny = (statement: ScpStatement) =>
  Object.values(statement.Condition ?? {}).some((entries) => Object.keys(entries).some((key) => key.toLowerCase() === 'aws:requestedregion'));

export function statementsOf(policy: AttachedPolicy): readonly ScpStatement[] {
  try {
    const document = JSON.parse(policy.content) as { Statement?: ScpStatement | readonly ScpStatement[] };
    return document.Statement === undefined ? [] : Array.isArray(document.Statement) ? document.Statement : [document.Statement as ScpStatement];
  } catch {
    return [];
  }
}

/**
 * How the SCPs on the path root → OUs → account treat `action`. The first denial found wins; else the first
 * condition. Reasons say "it" for the action, so the same reason for several actions reads once.
 */
export function evaluateScps(path: readonly PolicyLevel[], action: string, facts: RequestFacts = {}): ScpVerdict {
  let conditional: ScpVerdict | undefined;
  for (const level of path) {
    let allowed = false;
    for (const policy of level.policies) {
      for (const statement of statementsOf(policy)) {
        if (!coversAction(statement, action)) continue;
        const outcome = conditionOutcome(statement, facts);
        if (statement.Effect === 'Allow') {
          allowed ||= outcome === 'applies';
          continue;
        }
        if (statement.Effect !== 'Deny' || outcome === 'does-not-apply') continue;
        const where = `${policy.name} (${policy.id}) on ${level.targetId}`;
        if (outcome === 'applies') {
          const regionDeny = isRegionDeny(statement);
          const reason = regionDeny
            ? `${where} denies it outside its Regions: the Region-deny does not exempt account:* and the Account API is called in ${ACCOUNT_API_REGION}`
            : `${where} denies it`;
          return { kind: 'denied', reason, policy, regionDeny };
        }
        conditional ??= { kind: 'conditional', reason: `${where} denies it unless ${outcome.unknownKeys.join(', ')}`, policy };
      }
    }
    if (!allowed) return { kind: 'denied', reason: `no SCP on ${level.targetId} allows it (an allow list without it)`, regionDeny: false };
  }
  return conditional ?? { kind: 'allowed' };
}
