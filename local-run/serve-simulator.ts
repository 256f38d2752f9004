import { parseArgs } from 'node:util';
import { generatedOrganization } from './generated-organization.ts';
import { defaultOrganization, MANAGEMENT_ACCOUNT_ID } from './scenario.ts';
import { credentialsFor, startSimulator } from '../simulator/index.ts';
import { loadConfigOrExit } from './config-file.ts';

/**
 * The simulated organization on its own, as an AWS-compatible endpoint for any client: the AWS CLI, another tool,
 * or `npm start -- --target aws`. Runs until stopped (Ctrl-C).
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4566' },
    accounts: { type: 'string' },
    config: { type: 'string', default: 'config/alternate-contacts.yaml' },
  },
});
const config = loadConfigOrExit(values.config);
const organization = values.accounts ? generatedOrganization(config, Number(values.accounts), 1) : defaultOrganization(config);
const simulator = await startSimulator({ state: organization, port: Number(values.port) });
const { accessKeyId, secretAccessKey } = credentialsFor(MANAGEMENT_ACCOUNT_ID);
console.log(`Simulated organization ${organization.organizationId} (${organization.accounts.length} accounts) at ${simulator.url}
Act as its management account ${MANAGEMENT_ACCOUNT_ID}:
  export AWS_ENDPOINT_URL=${simulator.url} AWS_ACCESS_KEY_ID=${accessKeyId} AWS_SECRET_ACCESS_KEY=${secretAccessKey} AWS_REGION=us-east-1
  npm start -- --target aws            # a dry run; add --apply to write
Ctrl-C stops it.`);
process.on('SIGINT', () => void simulator.close().then(() => process.exit(0)));
