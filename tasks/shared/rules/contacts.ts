import { z } from 'zod';
import { pathText } from './input-shape.ts';

/** The three alternate contact types AWS knows. The order is the report's order: SECURITY first. */
export const CONTACT_TYPES = ['SECURITY', 'BILLING', 'OPERATIONS'] as const;
export type ContactType = (typeof CONTACT_TYPES)[number];

export const POLICIES = ['enforce', 'fill-missing', 'ignore', 'delete'] as const;
/**
 * - `enforce`: set when missing, correct when different.
 * - `fill-missing`: set only when missing; an existing, different contact is left alone.
 * - `ignore`: never read, never written.
 * - `delete`: removed where it is set; a missing contact is already right. It has no fields.
 */
export type Policy = (typeof POLICIES)[number];

// AWS's own constraints for PutAlternateContact, so a contact AWS would reject never reaches a write.
// https://docs.aws.amazon.com/accounts/latest/reference/API_PutAlternateContact.html
const EMAIL_PATTERN = /^[\s]*[\w+=.#|!&-]+@[\w.-]+\.[\w]+[\s]*$/;
const PHONE_PATTERN = /^[\s0-9()+-]+$/;
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;
export const OU_ID_PATTERN = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;

// C0 and C1 control characters (NUL, tab, newline, escape, ...) and DEL: AWS would store them as they are, and a
// contact's name or title that carries them garbles every report and mail that shows it.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/** Where the first control character is, or undefined: `U+0000 at character 3`. */
export function controlCharacterIn(value: string): string | undefined {
  const index = value.search(CONTROL_CHARACTER);
  if (index < 0) return undefined;
  return `U+${value.charCodeAt(index).toString(16).toUpperCase().padStart(4, '0')} at character ${index + 1}`;
}

const text = (max: number) =>
  z
    .string({ error: 'must be a string' })
    .min(1, `must be 1-${max} characters`)
    .max(max, `must be 1-${max} characters`)
    .superRefine((value, ctx) => {
      const found = controlCharacterIn(value);
      if (found) ctx.addIssue({ code: 'custom', message: `must not contain control characters (found ${found})`, abort: true });
      // Compared trimmed (compare.ts), a blank value is an empty one: it would write a contact with no name.
      else if (value.length > 0 && value.trim() === '') ctx.addIssue({ code: 'custom', message: 'must not be blank', abort: true });
    });

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

/** What one account should have for one type, after defaults and overrides (`ignore` types are left out). */
export type DesiredContact =
  | { readonly policy: 'enforce' | 'fill-missing'; readonly contact: Contact }
  /**
   * The contact could not be resolved (a tag's value AWS would refuse, or layers that contradict each other): the
   * type fails with this reason, unread and unwritten, whatever its policy.
   */
  | { readonly policy: Policy; readonly problem: string }
  | { readonly policy: 'delete' };
export type DesiredContacts = Partial<Record<ContactType, DesiredContact>>;

/** The contact a desired type should hold: none under `delete`. */
export const contactOf = (wanted: DesiredContact | undefined): Contact | undefined => (wanted && 'contact' in wanted ? wanted.contact : undefined);

/**
 * The configuration layer that last set a type's fields or policy for an account: the report's "desired source".
 * A union so later layers (tags) add a member without changing the others.
 */
export type DesiredSource =
  | { readonly layer: 'default' }
  | { readonly layer: 'ou'; readonly id: string }
  /** A tag override, by its `key=value`. */
  | { readonly layer: 'tag'; readonly tag: string }
  | { readonly layer: 'account' };
export type DesiredSources = Partial<Record<ContactType, DesiredSource>>;

/**
 * Renders zod issues as one line per problem, `path: rule`. An unknown key is named as the path itself (with its own
 * rule at the top level, when given), and a record's bad key by its own path.
 */
export function describeIssues(error: z.ZodError, prefix: readonly PropertyKey[] = [], unknownTopLevelKey = 'is not a known key'): string[] {
  return error.issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    const unknownKey = path.length === 0 ? unknownTopLevelKey : 'is not a known key';
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${pathText([...path, key])}: ${unknownKey}`);
    if (issue.code === 'invalid_key') return [`${pathText(path)}: key ${issue.issues[0]?.message ?? issue.message}`];
    return [`${pathText(path)}: ${issue.message}`];
  });
}
