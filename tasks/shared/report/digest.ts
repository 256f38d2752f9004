import type { Report } from '../rules/model.ts';
import type { ReportModel } from './model.ts';
import { namesOf } from './ou-names.ts';

/** The digest before delivery: everything but where the files went and how the messages were sent. */
export type ReportDigest = Omit<Report, 'files' | 'delivery'>;

// The digest travels as state output (256 KiB at most); the run table and the report files keep every entry.
// https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
const MAX_LISTED = 100;

const capped = <T>(list: readonly T[]) => ({ listed: list.slice(0, MAX_LISTED), omitted: Math.max(0, list.length - MAX_LISTED) });

/**
 * The model with its lists capped at 100 entries each, and the OUs of the listed accounts: the execution output, the
 * stored report and the text summary's source. `laterNotes` are bookkeeping errors met after the model was built
 * (releasing the claim).
 */
export function digestOf(model: ReportModel, laterNotes: readonly string[] = []): ReportDigest {
  const { run } = model;
  const changes = capped(model.changes);
  const failures = capped(model.failures);
  const drifted = capped(run.guardrail?.drifted ?? []);
  const bookkeepingErrors = [...(model.bookkeepingErrors ?? []), ...laterNotes];
  const ouPaths = Object.fromEntries(failures.listed.map((failure) => [failure.accountId, failure.ouPath]));
  const ouNames = namesOf([...failures.listed, ...drifted.listed].flatMap((listed) => listed.ouPath), run.ouNames);
  return {
    runId: run.runId,
    trigger: run.trigger,
    dryRun: run.dryRun,
    ...(run.refusal && { refusal: run.refusal }),
    ...(run.warnings && { warnings: run.warnings }),
    accountsProcessed: run.accounts,
    accountsFailed: run.accountsFailed,
    excluded: run.excluded,
    counts: run.counts,
    changes: changes.listed,
    failures: failures.listed.map(({ ouPath: _, ...failure }) => failure),
    skippedAccounts: model.skippedAccounts.slice(0, MAX_LISTED),
    omitted: { changes: changes.omitted, failures: failures.omitted, skippedAccounts: model.skippedCount - Math.min(model.skippedAccounts.length, MAX_LISTED) },
    ...(run.guardrail && {
      guardrail: {
        lockedTypes: run.guardrail.lockedTypes,
        guarded: run.guardrail.guarded,
        accounts: run.guardrail.accounts,
        drifted: drifted.listed,
        omitted: drifted.omitted,
      },
    }),
    ...(bookkeepingErrors.length > 0 && { bookkeepingErrors }),
    ...(failures.listed.length > 0 && { ouPaths }),
    ...(Object.keys(ouNames).length > 0 && { ouNames }),
    ...(run.ouNamesNote && { ouNamesNote: run.ouNamesNote }),
  };
}

/** The changes the run made (or, in a dry run, would have made), across the managed types. */
export const changeCount = (report: ReportDigest): number => Object.values(report.counts).reduce((sum, c) => sum + c.assigned + c.updated + c.deleted, 0);

/** True when the run changed nothing (nor would have, in a dry run) and failed nothing; a refused input or a warning never is. */
export function isUneventful(report: ReportDigest): boolean {
  return !report.refusal && !report.warnings && changeCount(report) === 0 && report.accountsFailed === 0;
}
