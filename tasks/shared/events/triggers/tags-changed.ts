import { z } from 'zod';
import { usesTags } from '../../rules/config.ts';
import { ACCOUNT_ID_PATTERN } from '../../rules/contacts.ts';
import { apiCallEvent, CLOUDTRAIL_API_CALL } from '../api-call.ts';
import { parseEvent } from '../envelope.ts';
import type { RuledTrigger } from './trigger.ts';

const SOURCE = 'aws.organizations';
const EVENT_NAMES = ['TagResource', 'UntagResource'];

/**
 * Tagging (requestParameters.tags) and untagging (requestParameters.tagKeys) name the resource by id: an account's 12
 * digits, or a root, OU or policy id. Only the id is read; the tags are read again from Organizations. Organizations
 * API calls reach EventBridge as CloudTrail management events in us-east-1.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_TagResource.html
 */
const tagEvent = apiCallEvent(
  SOURCE,
  EVENT_NAMES,
  { resourceId: z.string({ error: 'must be a string' }).min(1, 'must not be empty') },
  { eventID: z.string({ error: 'must be a string' }).min(1, 'must not be empty') },
);

/** A tag change: `accountId` when the resource is an account, absent for a root, OU or policy. */
export interface TagsChangedRun {
  readonly trigger: 'tag-change';
  readonly eventId: string;
  readonly resourceId: string;
  readonly accountId?: string;
}

/**
 * A tag added to or removed from an account may change its contacts (tag exclusions, overrides and values); one on a
 * root, OU or policy changes no account's contacts.
 */
export const tagsChanged: RuledTrigger<TagsChangedRun> = {
  trigger: 'tag-change',
  source: SOURCE,
  eventNames: EVENT_NAMES,
  parse(input) {
    const { detail } = parseEvent(tagEvent, input);
    const resourceId = detail.requestParameters.resourceId;
    return { trigger: 'tag-change', eventId: detail.eventID, resourceId, ...(ACCOUNT_ID_PATTERN.test(resourceId) && { accountId: resourceId }) };
  },
  // One tag change: EventBridge keeps an event's CloudTrail eventID on every delivery of it.
  claimKey: (run) => `tags:${run.eventId}`,
  skipReason: (run) => (run.accountId ? undefined : `tags changed on ${run.resourceId}, not an account: no account's contacts depend on them`),
  // Without tags in the configuration no tag change can change a contact, so the rule is left out.
  switch: { key: 'organizations', deployedOnlyWhen: usesTags },
  rule: {
    id: 'OrganizationsTagChange',
    description: `Organizations ${EVENT_NAMES.join(' or ')}: reconcile the account whose tags changed.`,
    pattern: { source: [SOURCE], 'detail-type': [CLOUDTRAIL_API_CALL], detail: { eventName: EVENT_NAMES } },
  },
  cloudTrail: { eventSource: 'organizations.amazonaws.com', eventNames: EVENT_NAMES, recordedIn: 'management-account' },
  samples: ['orgs-tag-resource-account.json'],
};
