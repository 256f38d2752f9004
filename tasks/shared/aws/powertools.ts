import { Logger } from '@aws-lambda-powertools/logger';
import { SERVICE_NAME } from './env.ts';

/** The one Logger every task imports, so all log lines carry the same service name. */
export const logger = new Logger({ serviceName: SERVICE_NAME });
