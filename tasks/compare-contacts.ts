import type { Context } from 'aws-lambda';
import { compareContacts } from '#shared/compare';
import type { DesiredContacts } from '#shared/contacts';
import type { ComparisonResult, CurrentContacts } from '#shared/model';
import { logger } from '#shared/powertools';

export const handler = async ({ desired, current }: { desired: DesiredContacts; current: CurrentContacts }, context: Context): Promise<ComparisonResult> => {
  logger.addContext(context);
  return compareContacts(desired, current);
};
