import { describe, expect, it } from 'vitest';
import { namesOf, ouNamesNote, ouPathText, ouText } from '#shared/report/ou-names';

const names = { 'ou-ab12-cd34ef56': 'Workloads', 'ou-ab12-pr0dpr0d': 'Prod' };

describe('OU names in the report', () => {
  it('puts the name beside the id, and the id alone where no name was read', () => {
    expect(ouText('ou-ab12-cd34ef56', names)).toBe('Workloads (ou-ab12-cd34ef56)');
    expect(ouText('ou-ab12-unkn0wn1', names)).toBe('ou-ab12-unkn0wn1');
  });

  it('reads an OU path from the root down, Root alone for an account under the root', () => {
    expect(ouPathText(['ou-ab12-cd34ef56', 'ou-ab12-pr0dpr0d'], names)).toBe('Root / Workloads (ou-ab12-cd34ef56) / Prod (ou-ab12-pr0dpr0d)');
    expect(ouPathText([], names)).toBe('Root');
  });

  it('keeps only the names of the OUs asked for', () => {
    expect(namesOf(['ou-ab12-pr0dpr0d', 'ou-ab12-unkn0wn1'], names)).toEqual({ 'ou-ab12-pr0dpr0d': 'Prod' });
  });

  it('says nothing when every name was read, and names at most 5 unread OUs, counting the rest', () => {
    const ouIds = Array.from({ length: 7 }, (_, i) => `ou-ab12-0000000${i}`);

    expect(ouNamesNote({ names })).toBeUndefined();
    expect(ouNamesNote({ names: {}, unread: { ouIds, error: 'AccessDeniedException: no' } })).toBe(
      'The names of 7 OUs (ou-ab12-00000000, ou-ab12-00000001, ou-ab12-00000002, ou-ab12-00000003, ou-ab12-00000004 and 2 more) could not be read (AccessDeniedException: no): those OUs show by id alone; nothing else in this report is affected.',
    );
  });
});
