/**
 * The two DynamoDB tables' key schemas: the stack creates them (infra/), the local run creates them (local-run/), and
 * the tasks read and write them, all from these names.
 */

/** The run table: one partition per run, one item per chunk of planned accounts, per account result, and the report. */
export const RUN_TABLE = { partitionKey: 'runId', sortKey: 'item', timeToLive: 'expiresAt' } as const;

/** Powertools idempotency's table (its default attribute names, passed to it explicitly in run-claim.ts). */
export const IDEMPOTENCY_TABLE = { partitionKey: 'id', timeToLive: 'expiration' } as const;
