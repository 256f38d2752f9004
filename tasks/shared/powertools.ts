import { Logger } from '@aws-lambda-powertools/logger';

/** The one Logger every task imports, so all log lines carry the same service name. */
export const logger = new Logger({ serviceName: 'alternate-contacts-enforcer' });
