import { z } from 'zod';
import { ACCOUNT_ID_PATTERN } from '../rules/contacts.ts';
import type { RunInput } from './run-input.ts';
import { apiCallEvent } from './api-call.ts';
import { type EventParser, parseEvent } from './envelope.ts';

/**
 * TagResource (requestParameters.tags) and UntagResource (requestParameters.tagKeys) name the resource by id: an
 * account's 12 digits, or a root, OU or policy id. Only the id is read; the tags are read again from Organizations.
 * Organizations API calls reach EventBridge as CloudTrail management events in us-east-1.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_TagResource.html
 */
const tagEvent = (eventName: string) =>
  apiCallEvent(
    'aws.organizations',
    eventName,
    { resourceId: z.string({ error: 'must be a string' }).min(1, 'must not be empty') },
    { eventID: z.string({ error: 'must be a string' }).min(1, 'must not be empty') },
  );

/** A tag change on an account reconciles that account; one on a root, OU or policy changes no account's contacts. */
function tagChangeParser(eventName: 'TagResource' | 'UntagResource'): EventParser {
  const schema = tagEvent(eventName);
  return {
    source: 'aws.organizations',
    eventName,
    trigger: 'tag-change',
    parse(input): RunInput {
      const { detail } = parseEvent(schema, input);
      const resourceId = detail.requestParameters.resourceId;
      return { trigger: 'tag-change', eventId: detail.eventID, resourceId, ...(ACCOUNT_ID_PATTERN.test(resourceId) && { accountId: resourceId }) };
    },
  };
}

export const organizationsTagResource = tagChangeParser('TagResource');
export const organizationsUntagResource = tagChangeParser('UntagResource');
