import { z } from 'zod';
import { CONTACT_TYPES, type ContactType, OU_ID_PATTERN } from './contacts.ts';

/**
 * The optional preventive control: a service control policy that denies PutAlternateContact and
 * DeleteAlternateContact on the locked types to every principal but the enforcer's write roles and the exempt ones.
 * One builder serves the stacks (infra/constructs/contact-guardrail.ts), the preflight and the local run, so the
 * document checked is the document deployed.
 */

/** AWS's id formats: a root is r- and 4-32 lowercase letters or digits; an OU adds its own 8-32 after the root's.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_AttachPolicy.html */
export const ROOT_ID_PATTERN = /^r-[0-9a-z]{4,32}$/;

/** An SCP document holds at most 5,120 characters. https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html */
export const SCP_MAX_CHARACTERS = 5120;
/** At most 5 SCPs are attached directly to one root, OU or account (same page). */
export const SCP_MAX_DIRECT_ATTACHMENTS = 5;

export const GUARDRAIL_ACTIONS = ['account:PutAlternateContact', 'account:DeleteAlternateContact'] as const;

// aws:PrincipalArn holds an assumed role's role ARN (with arn:...:iam::), never its sts session ARN, so only IAM ARNs can
// ever match. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
const IAM_PRINCIPAL_PATTERN = /^arn:(aws|aws-cn|aws-us-gov|\*):iam::(\d{12}|\*):(root|(role|user)\/[\w+=,.@/*?-]{1,512})$/;

/** What is wrong with an exempt principal pattern, or undefined. */
function exemptArnProblem(arn: string): string | undefined {
  if (/^arn:[\w*-]+:sts:/.test(arn)) return 'must be an IAM ARN (arn:aws:iam::<account>:role/<name>): aws:PrincipalArn holds the role, never its sts session';
  if (!IAM_PRINCIPAL_PATTERN.test(arn)) return 'must be an IAM principal ARN pattern like arn:aws:iam::*:role/BreakGlass (role/, user/ or root; * and ? as wildcards)';
  // A name of wildcards alone would exempt every role or user of the account(s): no guardrail at all.
  if (/:(role|user)\/[*?/]*$/.test(arn)) return 'must name a role or user, not every one: a name of only wildcards exempts everybody';
  return undefined;
}

const exemptArnSchema = z.string({ error: 'must be a string' }).superRefine((arn, ctx) => {
  const problem = exemptArnProblem(arn);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const targetSchema = z
  .string({ error: 'must be a string' })
  .refine((id) => OU_ID_PATTERN.test(id) || ROOT_ID_PATTERN.test(id), 'must be an OU id like ou-ab12-cd34ef56 or a root id like r-ab12');

/** Each item once: a second copy would make a second attachment of one policy to one target. */
const distinct = <T extends z.ZodType<string>>(item: T, what: string) =>
  z.array(item).superRefine((items, ctx) => {
    items.forEach((value, index) => {
      const first = items.indexOf(value);
      if (first < index) ctx.addIssue({ code: 'custom', path: [index], message: `repeats ${what}.${first}; list each once` });
    });
  });

export const guardrailSchema = z.strictObject({
  /** Where the SCP is attached: OUs, or the root for every member account. */
  targets: distinct(targetSchema, 'guardrail.targets').min(1, 'must list at least one OU or root id'),
  /** The types locked; absent: every type under contacts. */
  types: distinct(z.enum(CONTACT_TYPES, { error: `must be one of ${CONTACT_TYPES.join(', ')}` }), 'guardrail.types').min(1, 'must list at least one type, or be left out for every managed type').optional(),
  /** Principals that may still edit the locked types (break-glass), as aws:PrincipalArn patterns. */
  exemptPrincipalArns: distinct(exemptArnSchema, 'guardrail.exemptPrincipalArns').default([]),
});
export type Guardrail = z.infer<typeof guardrailSchema>;

/** The parts of a configuration the guardrail reads. */
export interface GuardedConfig {
  readonly contacts: Partial<Record<ContactType, unknown>>;
  readonly guardrail?: Guardrail;
}

/** The types the guardrail locks: its own list, or every type the configuration manages. */
export function lockedTypes(config: GuardedConfig): ContactType[] {
  return config.guardrail?.types ?? CONTACT_TYPES.filter((type) => config.contacts[type]);
}

export interface GuardrailStatement {
  readonly Sid: string;
  readonly Effect: 'Deny';
  readonly Action: readonly string[];
  readonly Resource: '*';
  readonly Condition: {
    readonly 'ForAnyValue:StringEquals': { readonly 'account:AlternateContactTypes': readonly ContactType[] };
    readonly ArnNotLike: { readonly 'aws:PrincipalArn': readonly string[] };
  };
}
export interface GuardrailDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly [GuardrailStatement];
}

/**
 * The SCP. Resource `*` covers both contexts: a member's own call (arn:...:account::<id>:account) and a call in
 * organization context on any member, which a delegated administrator's SCPs govern; AWS's example 2 shows the same.
 * https://docs.aws.amazon.com/accounts/latest/reference/using-orgs-example-scps.html
 * ForAnyValue: the request carries its one type in account:AlternateContactTypes, and a locked one is denied.
 * ArnNotLike: every principal but the writers and the exempt ones, named by aws:PrincipalArn.
 */
export function guardrailDocument(types: readonly ContactType[], writerRoleArns: readonly string[], exemptPrincipalArns: readonly string[]): GuardrailDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'LockManagedAlternateContacts',
        Effect: 'Deny',
        Action: [...GUARDRAIL_ACTIONS],
        Resource: '*',
        Condition: {
          'ForAnyValue:StringEquals': { 'account:AlternateContactTypes': [...types] },
          ArnNotLike: { 'aws:PrincipalArn': [...writerRoleArns, ...exemptPrincipalArns] },
        },
      },
    ],
  };
}

/** The longest ARN an enforcer write role can have (the longest partition, a 64-character role name): the size check's worst case. */
const LONGEST_WRITER_ARN = `arn:aws-us-gov:iam::000000000000:role/${'x'.repeat(64)}`;
/** The enforcer's write roles: the put task's role, and in the delegated topology the management account's role. */
export const MAX_WRITER_ROLES = 2;

/** The document's size in characters, as written without whitespace, with the longest writer ARNs there can be. */
export function worstCaseGuardrailSize(types: readonly ContactType[], exemptPrincipalArns: readonly string[]): number {
  return JSON.stringify(guardrailDocument(types, Array(MAX_WRITER_ROLES).fill(LONGEST_WRITER_ARN), exemptPrincipalArns)).length;
}

/**
 * True when the guardrail binds the account: it sits below a target (every member sits below the root, the one root
 * of an organization). The management account is never bound by an SCP.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
 */
export function isGuarded(guardrail: Guardrail | undefined, account: { readonly id: string; readonly ouPath: readonly string[] }, managementAccountId: string | undefined): boolean {
  if (!guardrail || account.id === managementAccountId) return false;
  return guardrail.targets.some((target) => ROOT_ID_PATTERN.test(target) || account.ouPath.includes(target));
}
