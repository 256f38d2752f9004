import type { Contact, ContactType, DesiredContact, DesiredContacts } from './contacts.ts';
import { type ComparisonResult, type CurrentContact, type CurrentContacts, isWrite, type TypeComparison } from './model.ts';

const FIELDS = ['name', 'title', 'email', 'phone'] as const satisfies readonly (keyof Contact)[];

// AWS accepts surrounding whitespace and mail domains are case-insensitive, so a contact the enforcer wrote must
// compare equal on the next run. https://docs.aws.amazon.com/accounts/latest/reference/API_PutAlternateContact.html
const normalize = (field: keyof Contact, value: string) => (field === 'email' ? value.trim().toLowerCase() : value.trim());

export function differingFields(desired: Contact, current: Contact): (keyof Contact)[] {
  return FIELDS.filter((field) => normalize(field, desired[field]) !== normalize(field, current[field]));
}

function compareType(wanted: DesiredContact, current: CurrentContact | undefined): TypeComparison {
  if ('problem' in wanted) return { action: 'FAILED', reason: wanted.problem };
  if (!current) return { action: 'FAILED', reason: 'the current contact was not read' };
  if (current.status === 'ERROR') return { action: 'FAILED', reason: current.error };
  // Delete only what is set: a missing contact already is what `delete` wants, so it costs no call.
  if (wanted.policy === 'delete') return { action: current.status === 'FOUND' ? 'DELETE' : 'UNCHANGED' };
  if (current.status === 'MISSING') return { action: 'ASSIGN' };
  const fields = differingFields(wanted.contact, current.contact);
  if (fields.length === 0) return { action: 'UNCHANGED' };
  if (wanted.policy === 'fill-missing') return { action: 'SKIP', fields, reason: 'policy fill-missing leaves an existing contact alone' };
  return { action: 'UPDATE', fields };
}

/** What to do per desired type: ASSIGN, UPDATE and DELETE are the writes; `pending` says whether there is any. */
export function compareContacts(desired: DesiredContacts, current: CurrentContacts): ComparisonResult {
  const actions = Object.fromEntries(
    (Object.entries(desired) as [ContactType, DesiredContact][]).map(([type, wanted]) => [type, compareType(wanted, current[type])]),
  );
  const pending = Object.values(actions).some(({ action }) => isWrite(action));
  return { actions, pending };
}
