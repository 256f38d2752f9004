import type { AdvancedEventSelector, AdvancedFieldSelector, EventSelector } from '@aws-sdk/client-cloudtrail';

/**
 * A static reading of a trail's event selectors: does the trail record a given management write event? A trail has
 * either classic EventSelectors or AdvancedEventSelectors.
 * - Classic: a selector records management events unless IncludeManagementEvents is false, writes when ReadWriteType
 *   is All or WriteOnly, and every source but those in ExcludeManagementEventSources.
 *   https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_EventSelector.html
 * - Advanced: an event is recorded when any selector matches it, and a selector matches when every one of its field
 *   selectors does (Equals, StartsWith, EndsWith: one value matches; NotEquals, NotStartsWith, NotEndsWith: none does).
 *   Management events are told apart by eventCategory, writes by readOnly, services by eventSource.
 *   https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedFieldSelector.html
 *   https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html
 */

/** One management write call, as its CloudTrail record names it. */
export interface ManagementWrite {
  readonly eventSource: string;
  readonly eventName: string;
}

export type Recording =
  | { readonly kind: 'all' }
  /** Recorded for some callers or requests only: a field this reading cannot know in advance (e.g. userIdentity.arn). */
  | { readonly kind: 'some'; readonly reason: string }
  | { readonly kind: 'none'; readonly reason: string };

export interface TrailSelectors {
  readonly EventSelectors?: readonly EventSelector[] | undefined;
  readonly AdvancedEventSelectors?: readonly AdvancedEventSelector[] | undefined;
}

export function recordsWrite(selectors: TrailSelectors, event: ManagementWrite): Recording {
  const advanced = selectors.AdvancedEventSelectors ?? [];
  return advanced.length > 0 ? advancedRecording(advanced, event) : classicRecording(selectors.EventSelectors ?? [], event);
}

function classicRecording(selectors: readonly EventSelector[], event: ManagementWrite): Recording {
  if (selectors.length === 0) return { kind: 'none', reason: 'it has no event selectors' };
  const reasons = selectors.map((selector): string | undefined => {
    if (selector.IncludeManagementEvents === false) return 'IncludeManagementEvents is false';
    if (selector.ReadWriteType === 'ReadOnly') return 'ReadWriteType is ReadOnly (no write events)';
    if (selector.ExcludeManagementEventSources?.includes(event.eventSource)) return `ExcludeManagementEventSources names ${event.eventSource}`;
    return undefined;
  });
  if (reasons.includes(undefined)) return { kind: 'all' };
  return { kind: 'none', reason: `its event selectors leave out ${event.eventName}: ${[...new Set(reasons)].join('; ')}` };
}

/** The values a management write call's record has in the fields advanced selectors filter on. */
function knownFields(event: ManagementWrite): Readonly<Record<string, string>> {
  return { eventCategory: 'Management', readOnly: 'false', eventType: 'AwsApiCall', eventSource: event.eventSource, eventName: event.eventName };
}

type Match = 'all' | 'some' | 'none';

function fieldMatch(selector: AdvancedFieldSelector, fields: Readonly<Record<string, string>>): Match {
  const value = fields[selector.Field ?? ''];
  const conditions = [selector.Equals, selector.StartsWith, selector.EndsWith, selector.NotEquals, selector.NotStartsWith, selector.NotEndsWith];
  if (value === undefined) return conditions.some((values) => values !== undefined) ? 'some' : 'all';
  const any = (values: readonly string[] | undefined, test: (candidate: string) => boolean) => values !== undefined && values.some(test);
  const included = (selector.Equals ?? selector.StartsWith ?? selector.EndsWith) === undefined
    || any(selector.Equals, (v) => v === value) || any(selector.StartsWith, (v) => value.startsWith(v)) || any(selector.EndsWith, (v) => value.endsWith(v));
  const excluded = any(selector.NotEquals, (v) => v === value) || any(selector.NotStartsWith, (v) => value.startsWith(v)) || any(selector.NotEndsWith, (v) => value.endsWith(v));
  return included && !excluded ? 'all' : 'none';
}

const describeField = (selector: AdvancedFieldSelector) =>
  (['Equals', 'StartsWith', 'EndsWith', 'NotEquals', 'NotStartsWith', 'NotEndsWith'] as const)
    .filter((operator) => selector[operator] !== undefined)
    .map((operator) => `${selector.Field} ${operator} [${selector[operator]!.join(', ')}]`)
    .join(' and ');

function advancedRecording(selectors: readonly AdvancedEventSelector[], event: ManagementWrite): Recording {
  const fields = knownFields(event);
  const outcomes = selectors.map((selector, index) => {
    const label = `advanced selector ${selector.Name ? `"${selector.Name}"` : `#${index + 1}`}`;
    const matches = (selector.FieldSelectors ?? []).map((field) => ({ field, match: fieldMatch(field, fields) }));
    const failing = matches.find((m) => m.match === 'none');
    if (failing) return { match: 'none' as const, reason: `${label} has ${describeField(failing.field)}` };
    const partial = matches.find((m) => m.match === 'some');
    if (partial) return { match: 'some' as const, reason: `${label} records it only where ${describeField(partial.field)}` };
    return { match: 'all' as const, reason: '' };
  });
  if (outcomes.some((o) => o.match === 'all')) return { kind: 'all' };
  const partial = outcomes.find((o) => o.match === 'some');
  if (partial) return { kind: 'some', reason: `${event.eventName}: ${partial.reason}` };
  return { kind: 'none', reason: `its advanced selectors leave out ${event.eventName} (${fields.eventSource}, a management write): ${outcomes.map((o) => o.reason).join('; ')}` };
}
