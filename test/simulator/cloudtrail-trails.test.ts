import { CloudTrailClient, DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { afterEach, describe, expect, it } from 'vitest';
import { credentialsFor, type SimTrail } from '../../simulator/index.ts';
import { clientConfig, MANAGEMENT, MEMBER, organization, OTHER_MEMBER, simulator, start, stopSimulator } from './fixture.ts';

afterEach(stopSimulator);

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

    const response = await fetch(simulator().url, {
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

