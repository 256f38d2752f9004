import type { Refusal } from '../rules/model.ts';

/** What arrived, in words: `source aws.organizations, detail-type ..., event id ..., eventName ...`. */
export function receivedText({ source, detailType, eventId, eventName }: Refusal): string {
  const named = [source && `source ${source}`, detailType && `detail-type ${detailType}`, eventId && `event id ${eventId}`, eventName && `eventName ${eventName}`];
  return named.filter(Boolean).join(', ') || 'no source, detail-type or event id (console input)';
}

/** What a refusal means for the run, as the report's summary and page both say it. */
export const REFUSAL_OUTCOME = 'No account was read or written. The execution fails with MalformedInputError, so its alarm fires.';
