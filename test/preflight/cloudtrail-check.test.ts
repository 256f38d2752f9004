import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '#shared/rules/config';
import { MANAGEMENT_ACCOUNT_ID, ORGANIZATION_TRAIL_NAME } from '../../local-run/scenario.ts';
import type { SimState, SimTrail } from '../../simulator/index.ts';
import { CONFIG_FILE, type PreflightHarness, preflightHarness, READ_ONLY_CALL } from './harness.ts';

// The single topology: the preflight acts as the management account of the built-in organization.
const config = loadConfig(CONFIG_FILE);
let preflight: PreflightHarness;

beforeAll(async () => {
  preflight = await preflightHarness(config);
});
afterAll(() => preflight.close());

describe('cloudtrail-delivery: a trail must record the management writes the event triggers need (single topology)', () => {
  const ORGANIZATION_TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${MANAGEMENT_ACCOUNT_ID}:trail/${ORGANIZATION_TRAIL_NAME}`;
  /** Changes the built-in organization trail. */
  const organizationTrail = (change: Partial<SimTrail>) => (state: SimState) => void Object.assign(state.trails![0]!, change);
  type FieldSelector = NonNullable<SimTrail['advancedEventSelectors']>[number]['FieldSelectors'][number];
  /** An advanced selector of management events, narrowed by `selectors`. */
  const management = (selectors: FieldSelector[]) => ({ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, ...selectors] });

  it('the organization trail delivers every event: PASS naming it, with reads only', async () => {
    preflight.simulator.resetStats();

    const result = await preflight.runCheck('cloudtrail-delivery');

    expect(result.status).toBe('PASS');
    expect(result.detail).toContain('MoveAccount (triggers.accountMoved), PutAlternateContact/DeleteAlternateContact from the management account (triggers.contactChanged) and PutAlternateContact/DeleteAlternateContact inside member accounts: delivered by organization trail organization-trail');
    const calls = Object.keys(preflight.simulator.stats().calls);
    expect(calls).toEqual(expect.arrayContaining(['cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors']));
    expect(calls.filter((call) => !READ_ONLY_CALL.test(call))).toEqual([]);
  });

  const traps = [
    {
      trap: 'no trail at all',
      set: (state: SimState) => void (state.trails = []),
      names: /MoveAccount .*: no trail delivers them to EventBridge in us-east-1: no trail covers the management account 111111111111/,
      fix: '--is-multi-region-trail --is-organization-trail --region us-east-1',
    },
    {
      trap: 'the trail is not logging',
      set: organizationTrail({ logging: false }),
      names: /organization-trail is not logging/,
      fix: `aws cloudtrail start-logging --name ${ORGANIZATION_TRAIL_ARN} --region us-east-1`,
    },
    {
      trap: 'the only trail is single-Region in another Region',
      set: organizationTrail({ homeRegion: 'eu-west-1', multiRegion: false }),
      names: /no trail seen from 111111111111 in us-east-1; a single-Region trail homed in another Region is seen only there/,
      fix: 'aws cloudtrail create-trail',
    },
    {
      trap: 'classic selectors that record reads only',
      set: organizationTrail({ eventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true, ExcludeManagementEventSources: [], DataResources: [] }] }),
      names: /ReadWriteType is ReadOnly \(no write events\)/,
      fix: `aws cloudtrail put-event-selectors --trail-name ${ORGANIZATION_TRAIL_NAME} --region us-east-1 --event-selectors '[{"ReadWriteType":"All","IncludeManagementEvents":true}]'`,
    },
    {
      trap: 'classic selectors without management events',
      set: organizationTrail({ eventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: false, ExcludeManagementEventSources: [], DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }] }),
      names: /IncludeManagementEvents is false/,
      fix: 'put-event-selectors',
    },
    {
      trap: 'advanced selectors that record reads only',
      set: organizationTrail({ advancedEventSelectors: [management([{ Field: 'readOnly', Equals: ['true'] }])] }),
      names: /advanced selector #1 has readOnly Equals \[true\]/,
      fix: '--advanced-event-selectors \'[{"Name":"Management events","FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]}]\'',
    },
    {
      trap: 'advanced selectors for data events only',
      set: organizationTrail({ advancedEventSelectors: [{ Name: 'S3 objects', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }] }] }),
      names: /advanced selector "S3 objects" has eventCategory Equals \[Data\]/,
      fix: '--advanced-event-selectors',
    },
  ];

  it.each(traps)('$trap: FAIL with the fix', async ({ set, names, fix }) => {
    const result = await preflight.runCheck('cloudtrail-delivery', set);

    expect(result.status).toBe('FAIL');
    expect(result.detail).toMatch(names);
    expect(result.fix).toContain(fix);
  });

  it('advanced selectors that leave out the Account API: FAIL for the contact edits only, MoveAccount still delivered', async () => {
    const result = await preflight.runCheck('cloudtrail-delivery', organizationTrail({ advancedEventSelectors: [management([{ Field: 'eventSource', NotEquals: ['kms.amazonaws.com', 'account.amazonaws.com'] }])] }));

    expect(result.status).toBe('FAIL');
    expect(result.detail).toContain('MoveAccount (triggers.accountMoved): delivered by organization trail organization-trail');
    expect(result.detail).toContain('eventSource NotEquals [kms.amazonaws.com, account.amazonaws.com]');
  });

  it.each([
    ['advanced: management writes only', [management([{ Field: 'readOnly', Equals: ['false'] }])]],
    ['advanced: every management event but KMS and RDS Data API', [management([{ Field: 'eventSource', NotEquals: ['kms.amazonaws.com', 'rdsdata.amazonaws.com'] }])]],
    ['advanced: a data selector beside a management one', [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }] }, management([])]],
  ])('%s: PASS', async (_case, advancedEventSelectors) => {
    expect((await preflight.runCheck('cloudtrail-delivery', organizationTrail({ advancedEventSelectors }))).status).toBe('PASS');
  });

  it('classic selectors that record writes only: PASS', async () => {
    const trap = organizationTrail({ eventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true, ExcludeManagementEventSources: ['kms.amazonaws.com'], DataResources: [] }] });

    expect((await preflight.runCheck('cloudtrail-delivery', trap)).status).toBe('PASS');
  });

  it('a trail of the management account\'s own, no organization trail: WARN that hand edits inside member accounts wait for the nightly run', async () => {
    const result = await preflight.runCheck('cloudtrail-delivery', organizationTrail({ organizationTrail: false }));

    expect(result.status).toBe('WARN');
    expect(result.detail).toContain('MoveAccount (triggers.accountMoved) and PutAlternateContact/DeleteAlternateContact from the management account (triggers.contactChanged): delivered by organization-trail');
    expect(result.detail).toMatch(/PutAlternateContact\/DeleteAlternateContact inside member accounts: no organization trail delivers them .* waits for the nightly run/);
  });

  it('triggers.accountMoved and contactChanged both off: SKIPPED with that reason, and no CloudTrail read', async () => {
    const off = { ...config, triggers: { ...config.triggers, accountMoved: false, contactChanged: false } };
    preflight.simulator.resetStats();

    const result = await preflight.runCheck('cloudtrail-delivery', (state) => void (state.trails = []), off);

    expect(result).toMatchObject({ status: 'SKIPPED', detail: expect.stringContaining('triggers.accountMoved and triggers.contactChanged are off') });
    expect(Object.keys(preflight.simulator.stats().calls).filter((call) => call.startsWith('cloudtrail:'))).toEqual([]);
  });

  it('only triggers.accountMoved on: a trail that leaves out the Account API is enough', async () => {
    const movesOnly = { ...config, triggers: { ...config.triggers, contactChanged: false } };
    const trap = organizationTrail({ advancedEventSelectors: [management([{ Field: 'eventSource', NotEquals: ['account.amazonaws.com'] }])] });

    const result = await preflight.runCheck('cloudtrail-delivery', trap, movesOnly);

    expect(result.status).toBe('PASS');
    expect(result.detail).not.toContain('PutAlternateContact');
  });

  it('tag changes watched (triggers.organizations with tags in the configuration): the check is made for TagResource/UntagResource too', async () => {
    const tagsOnly = { ...config, exclusions: { ...config.exclusions, tags: ['enforcer=off'] }, triggers: { ...config.triggers, accountMoved: false, contactChanged: false } };

    const result = await preflight.runCheck('cloudtrail-delivery', organizationTrail({ logging: false }), tagsOnly);

    expect(result.status).toBe('FAIL');
    expect(result.detail).toContain('TagResource/UntagResource (triggers.organizations): no trail delivers them to EventBridge in us-east-1: organization-trail is not logging');
  });

  it('DescribeTrails refused: SKIPPED, naming the permissions to add', async () => {
    const result = await preflight.runCheck('cloudtrail-delivery', (state) => void (state.cloudTrailDenied = { [MANAGEMENT_ACCOUNT_ID]: ['DescribeTrails'] }));

    expect(result.status).toBe('SKIPPED');
    expect(result.detail).toContain('cloudtrail:DescribeTrails is refused to the caller (AccessDeniedException: User: arn:aws:iam::111111111111:user/simulator is not authorized');
    expect(result.detail).toContain('allow cloudtrail:DescribeTrails, cloudtrail:GetTrailStatus and cloudtrail:GetEventSelectors');
  });

  it('GetEventSelectors refused: WARN, never PASS, naming the trail it could not read', async () => {
    const result = await preflight.runCheck('cloudtrail-delivery', (state) => void (state.cloudTrailDenied = { [MANAGEMENT_ACCOUNT_ID]: ['GetEventSelectors'] }));

    expect(result.status).toBe('WARN');
    expect(result.detail).toContain('organization-trail\'s event selectors could not be read (AccessDeniedException');
  });
});
