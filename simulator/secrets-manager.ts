import { requiredInput, type Service, type Sim, SimError, unknownOperation } from './service.ts';
import { SIMULATOR_URL_PLACEHOLDER } from './state.ts';

/**
 * AWS Secrets Manager (awsJson1_1): GetSecretValue by name or ARN.
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
 */

// A secret's ARN ends in its name plus a hyphen and six random characters.
const SECRET_ARN = /^arn:aws:secretsmanager:[\w-]+:\d{12}:secret:(.+)-[A-Za-z0-9]{6}$/;
const ARN_SUFFIX = 'SiMuLa';

export function secretsManagerService(sim: Sim): Service {
  return {
    protocol: 'awsJson1_1',
    handle: (op, call) => {
      if (op !== 'GetSecretValue') throw unknownOperation(op);
      const secretId = requiredInput(call, 'SecretId');
      const name = SECRET_ARN.exec(secretId)?.[1] ?? secretId;
      const value = sim.state.secrets[name];
      if (value === undefined) throw new SimError('ResourceNotFoundException', 'Secrets Manager can\'t find the specified secret.');
      return {
        ARN: `arn:aws:secretsmanager:${call.region}:${call.caller.accountId}:secret:${name}-${ARN_SUFFIX}`,
        Name: name,
        VersionId: '00000000-0000-4000-8000-000000000000',
        SecretString: value.replaceAll(SIMULATOR_URL_PLACEHOLDER, sim.url()),
        VersionStages: ['AWSCURRENT'],
        CreatedDate: 0,
      };
    },
  };
}
