import { z } from 'zod';

/** The three alternate contact types AWS knows. The order is the report's order: SECURITY first. */
export const CONTACT_TYPES = ['SECURITY', 'BILLING', 'OPERATIONS'] as const;
export type ContactType = (typeof CONTACT_TYPES)[number];

export const POLICIES = ['enforce', 'fill-missing', 'ignore'] as const;
/**
 * - `enforce`: set when missing, correct when different.
 * - `fill-missing`: set only when missing; an existing, different contact is left alone.
 * - `ignore`: never read, never written.
 */
export type Policy = (typeof POLICIES)[number];

// AWS's own constraints for PutAlternateContact, so a contact AWS would reject never reaches a write.
// https://docs.aws.amazon.com/accounts/latest/reference/API_PutAlternateContact.html
const EMAIL_PATTERN = /^[\s]*[\w+=.#|!&-]+@[\w.-]+\.[\w]+[\s]*$/;
const PHONE_PATTERN = /^[\s0-9()+-]+$/;
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;
export const OU_ID_PATTERN = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;

const text = (max: number) =>
  z.string({ error: 'must be a string' }).min(1, `must be 1-${max} characters`).max(max, `must be 1-${max} characters`);

export const contactFields = {
  name: text(64),
  title: text(50),
  email: text(254).regex(EMAIL_PATTERN, 'must be an e-mail address AWS accepts'),
  phone: text(25).regex(PHONE_PATTERN, 'may hold only digits, spaces and ()+-'),
};

export const contactSchema = z.strictObject(contactFields);
export type Contact = z.infer<typeof contactSchema>;

export const accountIdSchema = z.string({ error: 'must be a string' }).regex(ACCOUNT_ID_PATTERN, 'must be a 12-digit account id');
export const ouIdSchema = z.string({ error: 'must be a string' }).regex(OU_ID_PATTERN, 'must be an OU id like ou-ab12-cd34ef56');

/** What one account should have for one type, after defaults and overrides. */
export interface DesiredContact {
  readonly contact: Contact;
  readonly policy: Policy;
}
export type DesiredContacts = Partial<Record<ContactType, DesiredContact>>;

/**
 * The configuration layer that last set a type's fields or policy for an account: the report's "desired source".
 * A union so later layers (tags) add a member without changing the others.
 */
export type DesiredSource =
  | { readonly layer: 'default' }
  | { readonly layer: 'ou'; readonly id: string }
  | { readonly layer: 'account' };
export type DesiredSources = Partial<Record<ContactType, DesiredSource>>;

/** Renders zod issues as one line per problem: `path: rule`; an unknown key is named as the path itself. */
export function describeIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): string[] {
  return error.issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path].map(String);
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${[...path, key].join('.')}: is not a known key`);
    return [`${path.join('.') || '(root)'}: ${issue.message}`];
  });
}
