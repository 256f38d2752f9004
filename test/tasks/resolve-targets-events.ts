/** Events resolve-targets is tested with: the new account's creation, by Control Tower and by Organizations, and the schedule's firing. */

export const NEW_ACCOUNT = '222222222222';

export const controlTowerEvent = (status: Record<string, unknown> = { state: 'SUCCEEDED', account: { accountName: 'payments-dev', accountId: NEW_ACCOUNT } }) => ({
  version: '0',
  id: '5d8f3a6e-1c2b-4f0a-9e7d-2a1b3c4d5e6f',
  'detail-type': 'AWS Service Event via CloudTrail',
  source: 'aws.controltower',
  account: '111111111111',
  region: 'us-east-1',
  detail: { eventName: 'CreateManagedAccount', eventSource: 'controltower.amazonaws.com', serviceEventDetails: { createManagedAccountStatus: status } },
});

export const organizationsEvent = (status: Record<string, unknown> = { state: 'SUCCEEDED', accountName: 'payments-dev', accountId: NEW_ACCOUNT }) => ({
  version: '0',
  id: '9c2e4b1a-7d3f-4e5a-b6c8-1d2e3f4a5b6c',
  'detail-type': 'AWS Service Event via CloudTrail',
  source: 'aws.organizations',
  account: '111111111111',
  region: 'us-east-1',
  detail: { eventName: 'CreateAccountResult', eventSource: 'organizations.amazonaws.com', serviceEventDetails: { createAccountStatus: status } },
});

export const scheduledEvent = {
  version: '0',
  id: '3f4e5d6c-7b8a-4c9d-8e0f-1a2b3c4d5e6f',
  'detail-type': 'Scheduled Event',
  source: 'aws.scheduler',
  account: '333333333333',
  time: '2026-11-21T03:00:00Z',
  resources: ['arn:aws:scheduler:us-east-1:333333333333:schedule/default/alternate-contacts-nightly'],
  detail: {},
};
