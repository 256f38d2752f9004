import { describe, expect, it } from 'vitest';
import type { Contact, DesiredContacts } from '#shared/rules/contacts';
import { CONTACTS, lambdaContext, loadTask } from './support.ts';

const { handler } = await loadTask(() => import('../../tasks/compare-contacts.ts'));

const enforce: DesiredContacts = { SECURITY: { contact: CONTACTS.SECURITY, policy: 'enforce' } };
const fillMissing: DesiredContacts = { SECURITY: { contact: CONTACTS.SECURITY, policy: 'fill-missing' } };
const found = (contact: Partial<Contact> = {}) => ({ SECURITY: { status: 'FOUND' as const, contact: { ...CONTACTS.SECURITY, ...contact } } });
const compare = (desired: DesiredContacts, current: Parameters<typeof handler>[0]['current']) => handler({ desired, current }, lambdaContext);

describe('compare-contacts', () => {
  it.each([
    ['enforce', enforce],
    ['fill-missing', fillMissing],
  ])('assigns a missing contact under %s', async (_policy, desired) => {
    const result = await compare(desired, { SECURITY: { status: 'MISSING' } });

    expect(result).toEqual({ actions: { SECURITY: { action: 'ASSIGN' } }, pending: true });
  });

  it('updates a different contact under enforce, naming the fields that differ', async () => {
    const result = await compare(enforce, found({ email: 'old-soc@example.com', phone: '+1 555 0199' }));

    expect(result).toEqual({ actions: { SECURITY: { action: 'UPDATE', fields: ['email', 'phone'] } }, pending: true });
  });

  it('leaves a different contact alone under fill-missing and says why', async () => {
    const result = await compare(fillMissing, found({ name: 'Someone Else' }));

    expect(result).toEqual({
      actions: { SECURITY: { action: 'SKIP', fields: ['name'], reason: 'policy fill-missing leaves an existing contact alone' } },
      pending: false,
    });
  });

  it('finds a contact the enforcer wrote unchanged despite surrounding spaces and e-mail case', async () => {
    const result = await compare(enforce, found({ name: `  ${CONTACTS.SECURITY.name} `, email: 'Security@Example.COM ' }));

    expect(result).toEqual({ actions: { SECURITY: { action: 'UNCHANGED' } }, pending: false });
  });

  it('still sees a changed name when only its case differs', async () => {
    const result = await compare(enforce, found({ name: CONTACTS.SECURITY.name.toUpperCase() }));

    expect(result.actions.SECURITY).toEqual({ action: 'UPDATE', fields: ['name'] });
  });

  it('fails a type whose read failed, with the read error as reason', async () => {
    const result = await compare(enforce, { SECURITY: { status: 'ERROR', error: 'AccessDeniedError: not authorized' } });

    expect(result).toEqual({ actions: { SECURITY: { action: 'FAILED', reason: 'AccessDeniedError: not authorized' } }, pending: false });
  });

  describe('under the delete policy', () => {
    const remove: DesiredContacts = { SECURITY: { policy: 'delete' } };

    it('deletes a contact that is set, whatever it holds', async () => {
      expect(await compare(remove, found({ name: 'Anyone' }))).toEqual({ actions: { SECURITY: { action: 'DELETE' } }, pending: true });
    });

    it('leaves a missing contact alone: it is already what delete wants, so no call is made', async () => {
      expect(await compare(remove, { SECURITY: { status: 'MISSING' } })).toEqual({ actions: { SECURITY: { action: 'UNCHANGED' } }, pending: false });
    });

    it('fails a type that could not be read rather than deleting blindly', async () => {
      const result = await compare(remove, { SECURITY: { status: 'ERROR', error: 'AccessDeniedError: denied' } });

      expect(result).toEqual({ actions: { SECURITY: { action: 'FAILED', reason: 'AccessDeniedError: denied' } }, pending: false });
    });
  });
});
