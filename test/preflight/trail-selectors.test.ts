import type { AdvancedFieldSelector } from '@aws-sdk/client-cloudtrail';
import { describe, expect, it } from 'vitest';
import { type ManagementWrite, recordsWrite, type TrailSelectors } from '../../preflight/trail-selectors.ts';

const MOVE_ACCOUNT: ManagementWrite = { eventSource: 'organizations.amazonaws.com', eventName: 'MoveAccount' };
const PUT_CONTACT: ManagementWrite = { eventSource: 'account.amazonaws.com', eventName: 'PutAlternateContact' };
const MANAGEMENT = { Field: 'eventCategory', Equals: ['Management'] };
const advanced = (...fieldSelectors: AdvancedFieldSelector[][]): TrailSelectors => ({ AdvancedEventSelectors: fieldSelectors.map((FieldSelectors) => ({ FieldSelectors })) });

describe('recordsWrite: does a trail\'s selector record a management write call', () => {
  it.each([
    ['the default classic selector', 'all', { EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] }, PUT_CONTACT],
    ['a classic selector that leaves IncludeManagementEvents out (true by default)', 'all', { EventSelectors: [{ ReadWriteType: 'WriteOnly' }] }, PUT_CONTACT],
    ['classic ReadOnly', 'none', { EventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }] }, PUT_CONTACT],
    ['classic ReadOnly beside classic WriteOnly', 'all', { EventSelectors: [{ ReadWriteType: 'ReadOnly' }, { ReadWriteType: 'WriteOnly' }] }, PUT_CONTACT],
    ['classic excluding the call\'s source', 'none', { EventSelectors: [{ ReadWriteType: 'All', ExcludeManagementEventSources: ['account.amazonaws.com'] }] }, PUT_CONTACT],
    ['classic excluding another source', 'all', { EventSelectors: [{ ReadWriteType: 'All', ExcludeManagementEventSources: ['kms.amazonaws.com'] }] }, MOVE_ACCOUNT],
    ['no selectors at all', 'none', { EventSelectors: [] }, MOVE_ACCOUNT],
    ['advanced: management events', 'all', advanced([MANAGEMENT]), MOVE_ACCOUNT],
    ['advanced: readOnly Equals false', 'all', advanced([MANAGEMENT, { Field: 'readOnly', Equals: ['false'] }]), MOVE_ACCOUNT],
    ['advanced: readOnly Equals true', 'none', advanced([MANAGEMENT, { Field: 'readOnly', Equals: ['true'] }]), MOVE_ACCOUNT],
    ['advanced: readOnly NotEquals false', 'none', advanced([MANAGEMENT, { Field: 'readOnly', NotEquals: ['false'] }]), MOVE_ACCOUNT],
    ['advanced: eventSource StartsWith organizations', 'all', advanced([MANAGEMENT, { Field: 'eventSource', StartsWith: ['organizations.'] }]), MOVE_ACCOUNT],
    ['advanced: eventSource StartsWith organizations, for the Account API', 'none', advanced([MANAGEMENT, { Field: 'eventSource', StartsWith: ['organizations.'] }]), PUT_CONTACT],
    ['advanced: eventSource NotEndsWith .amazonaws.com', 'none', advanced([MANAGEMENT, { Field: 'eventSource', NotEndsWith: ['.amazonaws.com'] }]), PUT_CONTACT],
    ['advanced: one selector for reads, one for the Account API\'s writes', 'all', advanced([MANAGEMENT, { Field: 'readOnly', Equals: ['true'] }], [MANAGEMENT, { Field: 'eventSource', Equals: ['account.amazonaws.com'] }]), PUT_CONTACT],
    ['advanced: data events only', 'none', advanced([{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }]), PUT_CONTACT],
    ['advanced: a caller filter it cannot know in advance', 'some', advanced([MANAGEMENT, { Field: 'userIdentity.arn', NotStartsWith: ['arn:aws:sts::111111111111:assumed-role/Admin'] }]), PUT_CONTACT],
  ])('%s: %s', (_case, kind, selectors, event) => {
    expect(recordsWrite(selectors as TrailSelectors, event).kind).toBe(kind);
  });

  it('names the field selector that leaves the call out', () => {
    const recording = recordsWrite(advanced([MANAGEMENT, { Field: 'eventSource', NotEquals: ['kms.amazonaws.com', 'account.amazonaws.com'] }]), PUT_CONTACT);

    expect(recording).toEqual({
      kind: 'none',
      reason: 'its advanced selectors leave out PutAlternateContact (account.amazonaws.com, a management write): advanced selector #1 has eventSource NotEquals [kms.amazonaws.com, account.amazonaws.com]',
    });
  });
});
