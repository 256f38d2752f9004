import { z } from 'zod';
import { CONTACT_TYPES, contactFields, type ContactType, POLICIES } from '../contacts.ts';
import { FIELD_NAMES, type FieldName } from '../layer-conflicts.ts';
import { tagKeySchema } from './tags.ts';

// The contact entries of every layer: the defaults (`contacts`) and each override, per contact type.

const policySchema = z.enum(POLICIES, { error: `must be one of ${POLICIES.join(', ')}` });

/** A field's value from an account tag: `email: { tag: alternate-contacts:operations-email }`. */
const tagReferenceSchema = z.strictObject({ tag: tagKeySchema });
export type TagReference = z.infer<typeof tagReferenceSchema>;
const fieldOrTag = <T extends z.ZodType<string>>(field: T) =>
  z.union([field, tagReferenceSchema], { error: 'must be a string, or { tag: <account tag key> } to take the value from an account tag' }).optional();
const optionalFields = {
  name: fieldOrTag(contactFields.name),
  title: fieldOrTag(contactFields.title),
  email: fieldOrTag(contactFields.email),
  phone: fieldOrTag(contactFields.phone),
};

/** A deleted contact has no fields: a field given with `delete` would be silently dropped, so it is refused. */
function refuseFieldsWithDelete(contact: Partial<Record<FieldName, unknown>> & { policy?: string }, ctx: z.RefinementCtx): void {
  if (contact.policy !== 'delete') return;
  for (const field of FIELD_NAMES) {
    if (contact[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'must not be given with policy delete: a deleted contact has no fields' });
  }
}

/** The default per type: all four fields, except under `delete`, which takes none. */
export const managedContactSchema = z.strictObject({ ...optionalFields, policy: policySchema.default('enforce') }).superRefine((contact, ctx) => {
  refuseFieldsWithDelete(contact, ctx);
  if (contact.policy === 'delete') return;
  for (const field of FIELD_NAMES) {
    if (contact[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `must be a string: policy ${contact.policy} needs name, title, email and phone` });
  }
});
const contactOverrideSchema = z.strictObject({ ...optionalFields, policy: policySchema.optional() }).superRefine(refuseFieldsWithDelete);

export const perType = <T extends z.ZodType>(schema: T) =>
  z.strictObject(Object.fromEntries(CONTACT_TYPES.map((type) => [type, schema.optional()])) as Record<ContactType, z.ZodOptional<T>>);

export const overrideSchema = perType(contactOverrideSchema);

/** One override's entry for one type. */
export type ContactOverride = z.infer<typeof contactOverrideSchema>;
/** One override (an OU's, a tag's or an account's): an entry per type it overrides. */
export type Override = z.infer<typeof overrideSchema>;
