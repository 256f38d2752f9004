import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountClient, DeleteAlternateContactCommand, GetAlternateContactCommand, PutAlternateContactCommand, type PutAlternateContactCommandInput } from '@aws-sdk/client-account';
import {
  DescribeAccountCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListParentsCommand,
  OrganizationsClient,
  paginateListAccounts,
} from '@aws-sdk/client-organizations';
import { CloudTrailClient, DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from 'vitest';
import { credentialsFor, loadState, saveState, SIMULATOR_URL_PLACEHOLDER, type SimState, type SimTrail, type Simulator, type SimulatorOptions, startSimulator } from '../../simulator/index.ts';

const T0 = Date.parse('2026-11-20T10:00:00Z');
const MANAGEMENT = '111111111111';
const ADMIN = '333333333333';
const MEMBER = '200000000001';
const OTHER_MEMBER = '200000000002';
const NEW_MEMBER = '200000000003';
const DENIED = '200000000004';
const SUSPENDED = '200000000005';
const ROLE_ARN = `arn:aws:iam::${MANAGEMENT}:role/AlternateContactsManagement`;
const OU = 'ou-ab12-cd34ef56';
const TOPIC_ARN = `arn:aws:sns:us-east-1:${ADMIN}:alternate-contacts-report`;
const CONTACT = { Name: 'Security Operations Center', Title: 'Security Team', EmailAddress: 'security@example.com', PhoneNumber: '+1 555 0100' };

/** A small organization: management, a delegated admin, members in different conditions, and `extraAccounts` fillers. */
function organization(extraAccounts = 0): SimState {
  const member = (id: string, extra: Partial<SimState['accounts'][number]> = {}) => ({
    id,
    name: `account-${id}`,
    email: `aws+${id}@example.com`,
    status: 'ACTIVE' as const,
    parentId: OU,
    joinedAt: '2024-01-01T00:00:00.000Z',
    joinedMethod: 'CREATED' as const,
    contacts: {},
    ...extra,
  });
  return {
    organizationId: 'o-a1b2c3d4e5',
    managementAccountId: MANAGEMENT,
    roots: [{ id: 'r-ab12', name: 'Root' }],
    organizationalUnits: [{ id: OU, name: 'Workloads', parentId: 'r-ab12' }],
    accounts: [
      member(MANAGEMENT, { parentId: 'r-ab12' }),
      member(ADMIN),
      member(MEMBER, { contacts: { BILLING: { name: 'Cloud FinOps', title: 'Billing', email: 'finops@example.com', phone: '+1 555 0101' } } }),
      member(OTHER_MEMBER),
      member(NEW_MEMBER, { joinedAt: new Date(T0 - 60_000).toISOString(), readyAt: new Date(T0 + 60_000).toISOString() }),
      member(DENIED, { deny: 'explicit deny in a service control policy' }),
      member(SUSPENDED, { status: 'SUSPENDED' }),
      ...Array.from({ length: extraAccounts }, (_, i) => member(String(300_000_000_000 + i))),
    ],
    delegatedAdministrators: [{ accountId: ADMIN, servicePrincipal: 'account.amazonaws.com' }],
    trustedAccess: true,
    roles: { [ROLE_ARN]: [ADMIN] },
    secrets: { 'alternate-contacts/slack-webhook': `${SIMULATOR_URL_PLACEHOLDER}/slack/services/T0/B0/x` },
    outages: { sns: false, slack: false },
    published: [],
    slackPosts: [],
  };
}

let now = T0;
let sim: Simulator | undefined;

async function start(options: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  now = T0;
  sim = await startSimulator({ state: organization(), clock: () => now, ...options });
  return sim;
}

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** SDK clients as `accountId`, without SDK retries so every throttle and error is seen as the server sent it. */
function clientConfig(accountId: string, region = 'us-east-1') {
  return { endpoint: sim!.url, region, credentials: credentialsFor(accountId), maxAttempts: 1 };
}
const account = (accountId: string, region?: string) => new AccountClient(clientConfig(accountId, region));
const organizations = (accountId: string) => new OrganizationsClient(clientConfig(accountId));

const put = (accountId: string | undefined, extra: Partial<PutAlternateContactCommandInput> = {}) =>
  new PutAlternateContactCommand({ AccountId: accountId, AlternateContactType: 'SECURITY', ...CONTACT, ...extra });
const get = (accountId: string | undefined, type: 'SECURITY' | 'BILLING' = 'SECURITY') => new GetAlternateContactCommand({ AccountId: accountId, AlternateContactType: type });

/** Sends `count` requests one after another and counts the outcomes by error name ('OK' for success). */
async function outcomes(count: number, send: () => Promise<unknown>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const outcome = await send().then(
      () => 'OK',
      (error: Error) => error.name,
    );
    counts[outcome] = (counts[outcome] ?? 0) + 1;
  }
  return counts;
}

describe('Account API: who may call whom', () => {
  it('denies the management account that passes its own id as AccountId', async () => {
    await start();

    const call = account(MANAGEMENT).send(get(MANAGEMENT));

    await expect(call).rejects.toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
  });

  it('lets the management account handle itself in standalone context', async () => {
    const { state } = await start();

    await account(MANAGEMENT).send(put(undefined));

    expect(state.accounts.find((a) => a.id === MANAGEMENT)?.contacts.SECURITY?.email).toBe(CONTACT.EmailAddress);
  });

  it('lets the management account write a member account with AccountId', async () => {
    const { state } = await start();

    await account(MANAGEMENT).send(put(MEMBER));

    expect(state.accounts.find((a) => a.id === MEMBER)?.contacts.SECURITY?.name).toBe(CONTACT.Name);
  });

  it('lets the delegated administrator write a member account with AccountId', async () => {
    const { state } = await start();

    await account(ADMIN).send(put(MEMBER));

    expect(state.accounts.find((a) => a.id === MEMBER)?.contacts.SECURITY?.name).toBe(CONTACT.Name);
  });

  it('denies a member account that is not a delegated administrator', async () => {
    await start();

    const call = account(OTHER_MEMBER).send(get(MEMBER, 'BILLING'));

    await expect(call).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('denies the delegated administrator while trusted access is off', async () => {
    const { state } = await start();
    state.trustedAccess = false;

    const call = account(ADMIN).send(get(MEMBER, 'BILLING'));

    await expect(call).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('denies a client that signs for a Region other than us-east-1', async () => {
    await start();

    const call = account(MANAGEMENT, 'eu-west-1').send(get(MEMBER, 'BILLING'));

    await expect(call).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('denies every call on an account with an explicit deny', async () => {
    await start();
    now += 3_600_000;

    const call = account(MANAGEMENT).send(get(DENIED));

    await expect(call).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining('explicit deny') });
  });

  it('denies calls on a suspended account', async () => {
    await start();

    const call = account(MANAGEMENT).send(get(SUSPENDED));

    await expect(call).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});

describe('Account API: contacts', () => {
  it('answers ResourceNotFoundException for a type that is not set', async () => {
    await start();

    const call = account(MANAGEMENT).send(get(MEMBER, 'SECURITY'));

    await expect(call).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'No contact of the inputted alternate contact type found.',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('returns a stored contact with its type', async () => {
    await start();

    const { AlternateContact } = await account(MANAGEMENT).send(get(MEMBER, 'BILLING'));

    expect(AlternateContact).toEqual({ AlternateContactType: 'BILLING', Name: 'Cloud FinOps', Title: 'Billing', EmailAddress: 'finops@example.com', PhoneNumber: '+1 555 0101' });
  });

  it('deletes a contact', async () => {
    const { state } = await start();

    await account(MANAGEMENT).send(new DeleteAlternateContactCommand({ AccountId: MEMBER, AlternateContactType: 'BILLING' }));

    expect(state.accounts.find((a) => a.id === MEMBER)?.contacts).toEqual({});
  });

  it.each([
    ['Name', { Name: 'x'.repeat(65) }],
    ['Title', { Title: '' }],
    ['EmailAddress', { EmailAddress: 'not-an-address' }],
    ['PhoneNumber', { PhoneNumber: 'call me' }],
    ['AccountId', { AccountId: '12345' }],
    ['AlternateContactType', { AlternateContactType: 'LEGAL' as never }],
  ])('rejects an invalid %s with a ValidationException naming the field', async (field, invalid) => {
    const { state } = await start();
    const before = structuredClone(state.accounts);

    const call = account(MANAGEMENT).send(put(MEMBER, invalid));

    await expect(call).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining(`'${field}'`), $metadata: { httpStatusCode: 400 } });
    expect(state.accounts).toEqual(before);
  });

  it('accepts surrounding whitespace, as AWS does', async () => {
    await start();

    const call = account(MANAGEMENT).send(put(MEMBER, { EmailAddress: ' security@example.com ', PhoneNumber: ' +1 555 0100' }));

    await expect(call).resolves.toBeDefined();
  });

  it('answers AccessDenied for a just-created account until its readyAt', async () => {
    await start();
    const client = account(MANAGEMENT);
    const before = await outcomes(1, () => client.send(get(NEW_MEMBER)));

    now = T0 + 60_000;
    const after = await outcomes(1, () => client.send(get(NEW_MEMBER)));

    expect({ before, after }).toEqual({ before: { AccessDeniedException: 1 }, after: { ResourceNotFoundException: 1 } });
  });
});

describe('Account API: quotas per caller', () => {
  it('throttles Gets beyond the burst of 15', async () => {
    await start();
    const client = account(MANAGEMENT);

    const counts = await outcomes(20, () => client.send(get(MEMBER, 'BILLING')));

    expect(counts).toEqual({ OK: 15, TooManyRequestsException: 5 });
  });

  it('throttles Puts beyond the burst of 8, with HTTP 429', async () => {
    await start();
    const client = account(MANAGEMENT);

    const counts = await outcomes(10, () => client.send(put(MEMBER)));

    expect(counts).toEqual({ OK: 8, TooManyRequestsException: 2 });
    expect(sim!.stats().throttled).toEqual({ 'account:PutAlternateContact': 2 });
  });

  it('refills a bucket at the quota rate', async () => {
    await start();
    const client = account(MANAGEMENT);
    await outcomes(15, () => client.send(get(MEMBER, 'BILLING')));

    now += 1_000; // 10/s × 1 s = 10 tokens
    const counts = await outcomes(12, () => client.send(get(MEMBER, 'BILLING')));

    expect(counts).toEqual({ OK: 10, TooManyRequestsException: 2 });
  });

  it('keeps one bucket per caller account', async () => {
    await start();
    await outcomes(15, () => account(MANAGEMENT).send(get(MEMBER, 'BILLING')));

    const counts = await outcomes(1, () => account(ADMIN).send(get(MEMBER, 'BILLING')));

    expect(counts).toEqual({ OK: 1 });
  });

  it('cuts every quota by quotaScale', async () => {
    await start({ quotaScale: 0.1 });
    const client = account(MANAGEMENT);

    const counts = await outcomes(3, () => client.send(get(MEMBER, 'BILLING')));

    expect(counts).toEqual({ OK: 1, TooManyRequestsException: 2 });
  });
});

describe('Organizations', () => {
  it('pages ListAccounts 20 at a time over more than 20 pages', async () => {
    // A second passes per request, so the Organizations throttle (20/s) never interferes with the paging.
    sim = await startSimulator({ state: organization(450), clock: () => (now += 1_000) });
    const pages: number[] = [];
    const ids = new Set<string>();

    for await (const page of paginateListAccounts({ client: organizations(MANAGEMENT) }, {})) {
      pages.push(page.Accounts?.length ?? 0);
      page.Accounts?.forEach((a) => ids.add(a.Id!));
    }

    expect({ pages: pages.length, largest: Math.max(...pages), accounts: ids.size }).toEqual({ pages: 23, largest: 20, accounts: 457 });
  });

  it('rejects MaxResults above 20', async () => {
    await start();

    const call = organizations(MANAGEMENT).send(new ListAccountsCommand({ MaxResults: 21 }));

    await expect(call).rejects.toMatchObject({ name: 'InvalidInputException' });
  });

  it('describes accounts with status, state and joined time in epoch seconds', async () => {
    await start();

    const { Account } = await organizations(MANAGEMENT).send(new DescribeAccountCommand({ AccountId: SUSPENDED }));

    expect(Account).toMatchObject({ Id: SUSPENDED, Status: 'SUSPENDED', State: 'SUSPENDED', JoinedMethod: 'CREATED', JoinedTimestamp: new Date('2024-01-01T00:00:00Z') });
  });

  it('lists the OUs and accounts under a parent, and a child\'s parent', async () => {
    await start();
    const client = organizations(ADMIN);

    const ous = await client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: 'r-ab12' }));
    const accounts = await client.send(new ListAccountsForParentCommand({ ParentId: 'r-ab12' }));
    const parents = await client.send(new ListParentsCommand({ ChildId: MEMBER }));

    expect({ ous: ous.OrganizationalUnits?.map((o) => o.Id), accounts: accounts.Accounts?.map((a) => a.Id), parents: parents.Parents }).toEqual({
      ous: [OU],
      accounts: [MANAGEMENT],
      parents: [{ Id: OU, Type: 'ORGANIZATIONAL_UNIT' }],
    });
  });

  it('denies a member account that is not a delegated administrator', async () => {
    await start();

    const call = organizations(MEMBER).send(new ListAccountsCommand({}));

    await expect(call).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('throttles beyond 20 requests per second per caller', async () => {
    await start();
    const client = organizations(MANAGEMENT);

    const counts = await outcomes(25, () => client.send(new ListAccountsCommand({})));

    expect(counts).toEqual({ OK: 20, TooManyRequestsException: 5 });
  });
});

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

    expect(identity).toMatchObject({ Account: MANAGEMENT, Arn: `arn:aws:sts::${MANAGEMENT}:assumed-role/AlternateContactsManagement/enforcer` });
  });

  it('denies AssumeRole to an account the role does not trust', async () => {
    await start();

    const call = new STSClient(clientConfig(MEMBER)).send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'x' }));

    await expect(call).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
  });
});

describe('notifications', () => {
  it('records an SNS message', async () => {
    const { state } = await start();

    const { MessageId } = await new SNSClient(clientConfig(ADMIN)).send(new PublishCommand({ TopicArn: TOPIC_ARN, Subject: 'Report', Message: '<report & more>' }));

    expect(state.published).toEqual([{ messageId: MessageId, topicArn: TOPIC_ARN, subject: 'Report', message: '<report & more>', publishedAt: new Date(T0).toISOString() }]);
  });

  it('fails SNS Publish during an outage and records nothing', async () => {
    const { state } = await start();
    state.outages.sns = true;

    const call = new SNSClient(clientConfig(ADMIN)).send(new PublishCommand({ TopicArn: TOPIC_ARN, Message: 'report' }));

    await expect(call).rejects.toMatchObject({ $metadata: { httpStatusCode: 500 } });
    expect(state.published).toEqual([]);
  });

  it('serves the Slack webhook secret with the simulator URL filled in', async () => {
    await start();

    const { SecretString } = await new SecretsManagerClient(clientConfig(ADMIN)).send(new GetSecretValueCommand({ SecretId: 'alternate-contacts/slack-webhook' }));

    expect(SecretString).toBe(`${sim!.url}/slack/services/T0/B0/x`);
  });

  it('answers ResourceNotFoundException for an unknown secret', async () => {
    await start();

    const call = new SecretsManagerClient(clientConfig(ADMIN)).send(new GetSecretValueCommand({ SecretId: 'missing' }));

    await expect(call).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('records a Slack post', async () => {
    const { state, url } = await start();

    const response = await fetch(`${url}/slack/services/T0/B0/x`, { method: 'POST', body: JSON.stringify({ text: 'report' }) });

    expect({ status: response.status, posts: state.slackPosts.map((p) => p.body) }).toEqual({ status: 200, posts: [{ text: 'report' }] });
  });

  it('answers 500 to Slack posts during an outage and records nothing', async () => {
    const { state, url } = await start();
    state.outages.slack = true;

    const response = await fetch(`${url}/slack/services/T0/B0/x`, { method: 'POST', body: JSON.stringify({ text: 'report' }) });

    expect({ status: response.status, posts: state.slackPosts }).toEqual({ status: 500, posts: [] });
  });
});

describe('state and statistics', () => {
  it('counts calls per operation, caller and target account', async () => {
    await start();

    await account(ADMIN).send(put(MEMBER));
    await account(MANAGEMENT).send(get(MEMBER, 'BILLING'));

    expect(sim!.stats()).toMatchObject({
      calls: { 'account:PutAlternateContact': 1, 'account:GetAlternateContact': 1 },
      byCaller: { [ADMIN]: 1, [MANAGEMENT]: 1 },
      byTarget: { [MEMBER]: { 'account:PutAlternateContact': 1, 'account:GetAlternateContact': 1 } },
    });
  });

  it('counts the Account API calls made in standalone context, per account acted on', async () => {
    await start();

    await account(MANAGEMENT).send(put(undefined));
    await account(MANAGEMENT).send(get(MEMBER, 'BILLING')).catch(() => undefined);

    expect(sim!.stats().standalone).toEqual({ [MANAGEMENT]: 1 });
  });

  it('forgets the statistics on resetStats', async () => {
    await start();
    await account(MANAGEMENT).send(get(MEMBER, 'BILLING'));

    sim!.resetStats();

    expect(sim!.stats()).toEqual({ calls: {}, byCaller: {}, byTarget: {}, standalone: {}, throttled: {}, errors: {}, served: {}, repeated: {} });
  });

  it('never writes to the state object it was given', async () => {
    const given = organization();
    sim = await startSimulator({ state: given, clock: () => now });

    await account(MANAGEMENT).send(put(MEMBER));

    expect(given).toEqual(organization());
  });

  it('keeps a run\'s writes through save and load', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'simulator-')), 'state.json');
    const first = await start();
    await account(MANAGEMENT).send(put(MEMBER));
    saveState(file, first.state);
    await first.close();

    sim = await startSimulator({ state: loadState(file), clock: () => now });
    const { AlternateContact } = await account(MANAGEMENT).send(get(MEMBER));

    expect(AlternateContact).toMatchObject(CONTACT);
  });
});

describe('CloudTrail, through the real CloudTrail client', () => {
  const trail = (name: string, accountId: string, homeRegion: string, extra: Partial<SimTrail> = {}) => ({ name, accountId, homeRegion, multiRegion: false, organizationTrail: false, logging: true, ...extra });
  const organizationTrail = trail('org-trail', MANAGEMENT, 'eu-west-1', {
    multiRegion: true,
    organizationTrail: true,
    advancedEventSelectors: [{ Name: 'Management writes', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['false'] }] }],
  });
  const trails = [organizationTrail, trail('local', MANAGEMENT, 'us-east-1', { logging: false }), trail('elsewhere', MANAGEMENT, 'eu-central-1'), trail('member-trail', MEMBER, 'us-east-1')];
  const cloudTrail = (accountId: string, region?: string) => new CloudTrailClient(clientConfig(accountId, region));
  const names = (list: { Name?: string }[] | undefined) => list?.map((t) => t.Name).sort();

  it('DescribeTrails in a Region: the caller\'s trails homed there, and the shadow trails only when asked for', async () => {
    await start({ state: { ...organization(), trails } });

    const withShadows = await cloudTrail(MANAGEMENT).send(new DescribeTrailsCommand({ includeShadowTrails: true }));
    const withoutShadows = await cloudTrail(MANAGEMENT).send(new DescribeTrailsCommand({ includeShadowTrails: false }));
    const fromMember = await cloudTrail(MEMBER).send(new DescribeTrailsCommand({}));

    expect(names(withShadows.trailList)).toEqual(['local', 'org-trail']);
    expect(names(withoutShadows.trailList)).toEqual(['local']);
    expect(names(fromMember.trailList)).toEqual(['member-trail', 'org-trail']);
    expect(withShadows.trailList?.find((t) => t.Name === 'org-trail')).toMatchObject({
      TrailARN: `arn:aws:cloudtrail:eu-west-1:${MANAGEMENT}:trail/org-trail`,
      HomeRegion: 'eu-west-1',
      IsMultiRegionTrail: true,
      IsOrganizationTrail: true,
      HasCustomEventSelectors: true,
    });
  });

  it('GetTrailStatus and GetEventSelectors of a shadow trail by its ARN; the default selector for a trail created without one', async () => {
    await start({ state: { ...organization(), trails } });
    const arn = `arn:aws:cloudtrail:eu-west-1:${MANAGEMENT}:trail/org-trail`;

    const status = await cloudTrail(MEMBER).send(new GetTrailStatusCommand({ Name: arn }));
    const selectors = await cloudTrail(MEMBER).send(new GetEventSelectorsCommand({ TrailName: arn }));
    const local = await cloudTrail(MANAGEMENT).send(new GetTrailStatusCommand({ Name: 'local' }));
    const defaults = await cloudTrail(MANAGEMENT).send(new GetEventSelectorsCommand({ TrailName: 'local' }));

    expect(status.IsLogging).toBe(true);
    expect(selectors).toMatchObject({ TrailARN: arn, AdvancedEventSelectors: organizationTrail.advancedEventSelectors });
    expect(selectors.EventSelectors).toBeUndefined();
    expect(local.IsLogging).toBe(false);
    expect(defaults.EventSelectors).toEqual([{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }]);
  });

  it.each([
    ['a shadow trail by name', MEMBER, new GetTrailStatusCommand({ Name: 'org-trail' }), 'TrailNotFoundException'],
    ['a single-Region trail from another Region', MANAGEMENT, new GetEventSelectorsCommand({ TrailName: `arn:aws:cloudtrail:eu-central-1:${MANAGEMENT}:trail/elsewhere` }), 'TrailNotFoundException'],
    ['another account\'s trail', OTHER_MEMBER, new GetTrailStatusCommand({ Name: `arn:aws:cloudtrail:us-east-1:${MEMBER}:trail/member-trail` }), 'TrailNotFoundException'],
    ['a name that is no trail name', MANAGEMENT, new GetTrailStatusCommand({ Name: 'a--b' }), 'InvalidTrailNameException'],
    ['a malformed ARN', MANAGEMENT, new GetEventSelectorsCommand({ TrailName: 'arn:aws:cloudtrail:trail' }), 'CloudTrailARNInvalidException'],
  ])('refuses %s as CloudTrail does', async (_case, accountId, command, name) => {
    await start({ state: { ...organization(), trails } });

    await expect(cloudTrail(accountId).send(command as GetTrailStatusCommand)).rejects.toMatchObject({ name, $metadata: { httpStatusCode: 400 } });
  });

  it('answers AccessDeniedException for a read the account\'s callers are denied', async () => {
    await start({ state: { ...organization(), trails, cloudTrailDenied: { [MEMBER]: ['GetEventSelectors'] } } });

    await expect(cloudTrail(MEMBER).send(new DescribeTrailsCommand({}))).resolves.toBeDefined();
    await expect(cloudTrail(MEMBER).send(new GetEventSelectorsCommand({ TrailName: 'member-trail' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('is not authorized to perform: cloudtrail:GetEventSelectors'),
    });
  });

  it('reads the X-Amz-Target AWS documents (com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails) as well as the SDK\'s', async () => {
    await start({ state: { ...organization(), trails } });
    const { accessKeyId } = credentialsFor(MANAGEMENT);

    const response = await fetch(sim!.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails',
        authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20261124/us-east-1/cloudtrail/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: JSON.stringify({ includeShadowTrails: false }),
    });

    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(names(((await response.json()) as { trailList: { Name: string }[] }).trailList)).toEqual(['local']);
  });
});
