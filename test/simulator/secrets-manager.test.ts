import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, clientConfig, simulator, start, stopSimulator } from './fixture.ts';

afterEach(stopSimulator);

describe('Secrets Manager', () => {
  it('serves the Slack webhook secret with the simulator URL filled in', async () => {
    await start();

    const { SecretString } = await new SecretsManagerClient(clientConfig(ADMIN)).send(new GetSecretValueCommand({ SecretId: 'alternate-contacts/slack-webhook' }));

    expect(SecretString).toBe(`${simulator().url}/slack/services/T0/B0/x`);
  });

  it('answers ResourceNotFoundException for an unknown secret', async () => {
    await start();

    const call = new SecretsManagerClient(clientConfig(ADMIN)).send(new GetSecretValueCommand({ SecretId: 'missing' }));

    await expect(call).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
