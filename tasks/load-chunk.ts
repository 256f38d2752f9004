import type { Context } from 'aws-lambda';
import type { TargetAccount } from '#shared/model';
import { logger } from '#shared/powertools';
import { loadChunk } from '#shared/run-table';

export const handler = async ({ runId, chunk }: { runId: string; chunk: number }, context: Context): Promise<{ accounts: TargetAccount[] }> => {
  logger.addContext(context);
  return { accounts: await loadChunk(runId, chunk) };
};
