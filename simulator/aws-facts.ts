import { z } from 'zod';

/**
 * The simulator's own statement of what AWS documents, each fact with the page it comes from. It is a second opinion:
 * it never takes the product's statement of the same facts (tasks/shared/rules), so a product that misreads AWS
 * fails against the simulator instead of agreeing with itself.
 */

// --- Identifiers (Organizations API reference, the Id member of each shape) ---

/** https://docs.aws.amazon.com/organizations/latest/APIReference/API_Account.html */
export const ACCOUNT_ID = /^\d{12}$/;
/** https://docs.aws.amazon.com/organizations/latest/APIReference/API_OrganizationalUnit.html */
export const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
/** https://docs.aws.amazon.com/organizations/latest/APIReference/API_Root.html */
export const ROOT_ID = /^r-[0-9a-z]{4,32}$/;
/** https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html */
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
/** https://docs.aws.amazon.com/organizations/latest/APIReference/API_PolicySummary.html */
export const POLICY_ID = /^p-[0-9a-zA-Z_]{8,128}$/;

/**
 * The AWS managed SCP that Organizations attaches to the root, every OU and every account when SCPs are enabled.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
 */
export const FULL_AWS_ACCESS_POLICY_ID = 'p-FullAWSAccess';

/** The PolicyType of a service control policy. https://docs.aws.amazon.com/organizations/latest/APIReference/API_PolicyTypeSummary.html */
export const SCP_TYPE = 'SERVICE_CONTROL_POLICY';

/**
 * The Account Management service's principal: the one trusted access and delegated administration name.
 * https://docs.aws.amazon.com/accounts/latest/reference/using-orgs-trusted-access.html
 */
export const ACCOUNT_SERVICE_PRINCIPAL = 'account.amazonaws.com';

// --- The Account Management API: alternate contacts ---

/** AlternateContactType's valid values. https://docs.aws.amazon.com/accounts/latest/reference/API_AlternateContact.html */
export const ALTERNATE_CONTACT_TYPES = ['BILLING', 'OPERATIONS', 'SECURITY'] as const;
export type AlternateContactType = (typeof ALTERNATE_CONTACT_TYPES)[number];

/** One request member's documented constraints: its length in characters and, for some, a pattern. */
export interface MemberRule {
  readonly min: number;
  readonly max: number;
  /** As the reference writes it; the whole value must match (AWS validates the member, not a part of it). */
  readonly pattern?: string;
}

/**
 * PutAlternateContact's contact members. Name and Title have no pattern: AWS takes any characters, blank ones and
 * surrounding whitespace included, and stores them as written.
 * https://docs.aws.amazon.com/accounts/latest/reference/API_PutAlternateContact.html
 */
export const CONTACT_MEMBERS = {
  Name: { min: 1, max: 64 },
  Title: { min: 1, max: 50 },
  EmailAddress: { min: 1, max: 254, pattern: '[\\s]*[\\w+=.#|!&-]+@[\\w.-]+\\.[\\w]+[\\s]*' },
  PhoneNumber: { min: 1, max: 25, pattern: '[\\s0-9()+-]+' },
} as const satisfies Record<string, MemberRule>;
export type ContactMember = keyof typeof CONTACT_MEMBERS;

/** A stored contact, in the simulator's state file: the four members under short names. */
export interface StoredContact {
  readonly name: string;
  readonly title: string;
  readonly email: string;
  readonly phone: string;
}
export const STORED_FIELD_OF: Readonly<Record<ContactMember, keyof StoredContact>> = { Name: 'name', Title: 'title', EmailAddress: 'email', PhoneNumber: 'phone' };

/** The AccountId member. https://docs.aws.amazon.com/accounts/latest/reference/API_PutAlternateContact.html */
export const ACCOUNT_ID_MEMBER: MemberRule = { min: 12, max: 12, pattern: '^\\d{12}$' };

/**
 * Why a value breaks a member's rule, in the words of AWS's validation messages ("Member must ..."), or undefined.
 * https://docs.aws.amazon.com/accounts/latest/reference/API_ValidationException.html
 */
export function memberViolation(rule: MemberRule, value: unknown): string | undefined {
  if (value === undefined || value === null) return 'Member must not be null';
  if (typeof value !== 'string') return 'Member must be a string';
  if (value.length < rule.min) return `Member must have length greater than or equal to ${rule.min}`;
  if (value.length > rule.max) return `Member must have length less than or equal to ${rule.max}`;
  if (rule.pattern !== undefined && !wholeValue(rule.pattern).test(value)) return `Member must satisfy regular expression pattern: ${rule.pattern}`;
  return undefined;
}

const compiled = new Map<string, RegExp>();
function wholeValue(pattern: string): RegExp {
  let regex = compiled.get(pattern);
  if (!regex) {
    regex = new RegExp(`^(?:${pattern.replace(/^\^|\$$/g, '')})$`);
    compiled.set(pattern, regex);
  }
  return regex;
}

/** One member's rule as a schema, for the state file. */
const memberSchema = (member: ContactMember) =>
  z.string().superRefine((value, ctx) => {
    const violation = memberViolation(CONTACT_MEMBERS[member], value);
    if (violation) ctx.addIssue({ code: 'custom', message: `${member}: ${violation}` });
  });

/** A contact as the state file may hold it: what AWS would have accepted. */
export const storedContactSchema: z.ZodType<StoredContact> = z.strictObject({
  name: memberSchema('Name'),
  title: memberSchema('Title'),
  email: memberSchema('EmailAddress'),
  phone: memberSchema('PhoneNumber'),
});

/** GetAlternateContact's and DeleteAlternateContact's answer for a type that is not set. https://docs.aws.amazon.com/accounts/latest/reference/API_GetAlternateContact.html */
export const CONTACT_NOT_FOUND_MESSAGE = 'No contact of the inputted alternate contact type found.';

/** A token bucket: the steady rate and the burst above it. */
export interface Rate {
  readonly perSecond: number;
  readonly burst: number;
}

/**
 * The Account API's documented request rates for the alternate contact operations ("per account": the simulator
 * counts them per caller account).
 * https://docs.aws.amazon.com/accounts/latest/reference/quotas.html
 */
export const ACCOUNT_API_RATES = {
  GetAlternateContact: { perSecond: 10, burst: 15 },
  PutAlternateContact: { perSecond: 5, burst: 8 },
  DeleteAlternateContact: { perSecond: 1, burst: 6 },
} as const satisfies Record<string, Rate>;

/**
 * Organizations throttles per account; 20 per second is the documented rate for most read calls.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html#throttling-limits
 */
export const ORGANIZATIONS_RATE: Rate = { perSecond: 20, burst: 20 };

/**
 * The most a List* call returns in one page (MaxResults: 1-20).
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html
 */
export const ORGANIZATIONS_MAX_RESULTS = 20;

// --- Access denied, as AWS words it ---

/**
 * IAM's access-denied messages: an explicit Deny names the policy type (and, for an SCP, the policy's ARN), an implicit
 * one says that no policy of the type allows the action.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
 * https://aws.amazon.com/blogs/security/enhanced-access-denied-error-messages-with-policy-arns/
 */
export const notAuthorized = (principalArn: string, action: string, resource: string) => `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource}`;
export const explicitScpDeny = (policyArn: string) => `with an explicit deny in a service control policy: ${policyArn}`;
export const implicitScpDeny = (action: string) => `because no service control policy allows the ${action} action`;
