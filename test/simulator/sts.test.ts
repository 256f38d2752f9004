import { AccountClient } from '@aws-sdk/client-account';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, clientConfig, CONTACT, MANAGEMENT, MEMBER, put, ROLE_ARN, start, stopSimulator } from './fixture.ts';

afterEach(stopSimulator);

describe('STS', () => {
  it('lets the delegated administrator assume the management role and then write the management account standalone', async () => {
    const { state } = await start();
    const { Credentials } = await new STSClient(clientConfig(ADMIN)).send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'enforcer' }));
    const credentials = { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };

    await new AccountClient({ ...clientConfig(ADMIN), credentials }).send(put(undefined));

    expect(state.accounts.find((a) => a.id === MANAGEMENT)?.contacts.SECURITY?.name).toBe(CONTACT.Name);
  });

  it('names the assumed role as the caller identity', async () => {
    await start();
    const { Credentials } = await new STSClient(clientConfig(ADMIN)).send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'enforcer' }));
    const credentials = { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };

    const identity = await new STSClient({ ...clientConfig(ADMIN), credentials }).send(new GetCallerIdentityCommand({}));

    expect(identity).toMatchObject({ Account: MANAGEMENT, Arn: `arn:aws:sts::${MANAGEMENT}:assumed-role/AlternateContactsEnforcer-ManagementAccount/enforcer` });
  });

  it('denies AssumeRole to an account the role does not trust', async () => {
    await start();

    const call = new STSClient(clientConfig(MEMBER)).send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'x' }));

    await expect(call).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
  });
});
