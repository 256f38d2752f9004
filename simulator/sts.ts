import { notAuthorized } from './aws-facts.ts';
import { type Call, requiredInput, type Service, type Sim, SimError, unknownOperation } from './service.ts';

/**
 * AWS STS (awsQuery): AssumeRole into the roles the state declares, and GetCallerIdentity.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:.+\/)?([\w+=,.@-]+)$/;
const SESSION_SECONDS = 3600;

export function stsService(sim: Sim): Service {
  function assumeRole(call: Call) {
    const roleArn = requiredInput(call, 'RoleArn');
    const sessionName = requiredInput(call, 'RoleSessionName');
    const [, accountId, roleName] = ROLE_ARN.exec(roleArn) ?? [];
    const trusted = sim.state.roles[roleArn] ?? [];
    if (!accountId || !roleName || !trusted.includes(call.caller.accountId)) {
      throw new SimError('AccessDenied', notAuthorized(call.caller.arn, 'sts:AssumeRole', roleArn), 403);
    }
    const arn = `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;
    const session = sim.startSession(accountId, arn);
    return {
      Credentials: {
        AccessKeyId: session.accessKeyId,
        SecretAccessKey: session.secretAccessKey,
        SessionToken: session.sessionToken,
        Expiration: new Date(sim.now() + SESSION_SECONDS * 1000).toISOString(),
      },
      AssumedRoleUser: { AssumedRoleId: `AROASIM${accountId}:${sessionName}`, Arn: arn },
    };
  }

  return {
    protocol: 'awsQuery',
    targetOf: (op, call) => (op === 'AssumeRole' ? ROLE_ARN.exec(String(call.input.RoleArn))?.[1] : undefined),
    handle: (op, call) => {
      if (op === 'AssumeRole') return assumeRole(call);
      if (op === 'GetCallerIdentity') return { UserId: call.caller.arn.split('/').at(-1), Account: call.caller.accountId, Arn: call.caller.arn };
      throw unknownOperation(op);
    },
  };
}
