import type { OuNames } from '../rules/model.ts';

/**
 * OUs as people think of them, by name, with the id beside it: `Workloads (ou-ab12-cd34ef56)`. An OU whose name could
 * not be read shows its id alone.
 */
export const ouText = (ouId: string, names: Readonly<Record<string, string>>): string => {
  const name = names[ouId];
  return name ? `${name} (${ouId})` : ouId;
};

/** The OU path from the root down: `Root / Workloads (ou-…) / Prod (ou-…)`; `Root` alone directly under the root. */
export const ouPathText = (ouPath: readonly string[], names: Readonly<Record<string, string>>): string =>
  ['Root', ...ouPath.map((ouId) => ouText(ouId, names))].join(' / ');

/** Only the names of these OUs: a view that lists a few accounts carries only their OUs' names. */
export function namesOf(ouIds: Iterable<string>, names: Readonly<Record<string, string>>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const ouId of ouIds) if (names[ouId] !== undefined) kept[ouId] = names[ouId];
  return kept;
}

const NOTE_IDS = 5;

/** What the views say when some OU names could not be read: which, why, and that nothing else is lost. */
export function ouNamesNote({ unread }: OuNames): string | undefined {
  if (!unread) return undefined;
  const count = unread.ouIds.length;
  // A missing permission leaves every OU unnamed: the note names a few, so the report stays small.
  const listed = unread.ouIds.slice(0, NOTE_IDS).join(', ') + (count > NOTE_IDS ? ` and ${count - NOTE_IDS} more` : '');
  const which = count === 0 ? 'The OU names' : count === 1 ? `The name of OU ${listed}` : `The names of ${count} OUs (${listed})`;
  return `${which} could not be read (${unread.error}): those OUs show by id alone; nothing else in this report is affected.`;
}
