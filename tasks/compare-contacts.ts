import type { Context } from 'aws-lambda';
import { compareContacts } from '#shared/rules/compare';
import type { DesiredContacts } from '#shared/rules/contacts';
import type { ComparisonResult, CurrentContacts } from '#shared/rules/model';
import { logger } from '#shared/aws/powertools';

export const handler = async ({ desired, current }: { desired: DesiredContacts; current: CurrentContacts }, context: Context): Promise<ComparisonResult> => {
  logger.addContext(context);
  return compareContacts(desired, current);
};
