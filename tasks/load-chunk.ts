import type { Context } from 'aws-lambda';
import type { TargetAccount } from '#shared/rules/model';
import { logger } from '#shared/aws/powertools';
import { loadChunk } from '#shared/aws/run-table';

export const handler = async ({ runId, chunk }: { runId: string; chunk: number }, context: Context): Promise<{ accounts: TargetAccount[] }> => {
  logger.addContext(context);
  return { accounts: await loadChunk(runId, chunk) };
};
