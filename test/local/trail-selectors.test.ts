import type { AdvancedFieldSelector } from '@aws-sdk/client-cloudtrail';
import { describe, expect, it } from 'vitest';
import { type ManagementWrite, recordsWrite, type TrailSelectors } from '../../local/preflight/trail-selectors.ts';

const MOVE_ACCOUNT: ManagementWrite = { eventSource: 'organizations.amazonaws.com', eventName: 'MoveAccount' };
const PUT_CONTACT: ManagementWrite = { eventSource: 'account.amazonaws.com', eventName: 'PutAlternateContact' };
const MANAGEMENT = { Field: 'eventCategory', Equals: ['Management'] };
const advanced = (...fieldSelectors: AdvancedFieldSelector[][]): TrailSelectors => ({ AdvancedEventSelectors: fieldSelectors.map((FieldSelectors) => ({ FieldSelectors })) });

describe('recordsWrite: does a trail\'s selector record a management write call', () => {
  it.each([
    ['the default classic selector', { EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] }, PUT_CONTACT, 'all'],
    ['a classic selector that leaves IncludeManagementEvents out (true by default)', { EventSelectors: [{ ReadWriteType: 'WriteOnly' }] }, PUT_CONTACT, 'all'],
    ['classic ReadOnly', { EventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }] }, PUT_CONTACT, 'none'],
    ['classic ReadOnly beside classic WriteOnly', { EventSelectors: [{ ReadWriteType: 'ReadOnly' }, { ReadWriteType: 'WriteOnly' }] }, PUT_CONTACT, 'all'],
    ['classic excluding the call\'s source', { EventSelectors: [{ ReadWriteType: 'All', ExcludeManagementEventSources: ['account.amazonaws.com'] }] }, PUT_CONTACT, 'none'],
    ['classic excluding another source', { EventSelectors: [{ ReadWriteType: 'All', ExcludeManagementEventSources: ['kms.amazonaws.com'] }] }, MOVE_ACCOUNT, 'all'],
    ['no selectors at all', { EventSelectors: [] }, MOVE_ACCOUNT, 'none'],
    ['advanced: management events', advanced([MANAGEMENT]), MOVE_ACCOUNT, 'all'],
    ['advanced: readOnly Equals false', advanced([MANAGEMENT, { Field: 'readOnly', Equals: ['false'] }]), MOVE_ACCOUNT, 'all'],
    ['advanced: readOnly Equals true', advanced([MANAGEMENT, { Field: 'readOnly', Equals: ['true'] }]), MOVE_ACCOUNT, 'none'],
    ['advanced: readOnly NotEquals false', advanced([MANAGEMENT, { Field: 'readOnly', NotEquals: ['false'] }]), MOVE_ACCOUNT, 'none'],
    ['advanced: eventSource StartsWith organizations', advanced([MANAGEMENT, { Field: 'eventSource', StartsWith: ['organizations.'] }]), MOVE_ACCOUNT, 'all'],
    ['advanced: eventSource StartsWith organizations, for the Account API', advanced([MANAGEMENT, { Field: 'eventSource', StartsWith: ['organizations.'] }]), PUT_CONTACT, 'none'],
    ['advanced: eventSource NotEndsWith .amazonaws.com', advanced([MANAGEMENT, { Field: 'eventSource', NotEndsWith: ['.amazonaws.com'] }]), PUT_CONTACT, 'none'],
    ['advanced: one selector for reads, one for the Account API\'s writes', advanced([MANAGEMENT, { Field: 'readOnly', Equals: ['true'] }], [MANAGEMENT, { Field: 'eventSource', Equals: ['account.amazonaws.com'] }]), PUT_CONTACT, 'all'],
    ['advanced: data events only', advanced([{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }]), PUT_CONTACT, 'none'],
    ['advanced: a caller filter it cannot know in advance', advanced([MANAGEMENT, { Field: 'userIdentity.arn', NotStartsWith: ['arn:aws:sts::111111111111:assumed-role/Admin'] }]), PUT_CONTACT, 'some'],
  ])('%s: %s -> %s', (_case, selectors, event, kind) => {
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
