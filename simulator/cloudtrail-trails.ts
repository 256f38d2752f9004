import { type Call, requiredInput, type Service, type Sim, SimError, unknownOperation } from './service.ts';
import { CLOUDTRAIL_READS, type SimTrail, TRAIL_NAME } from './state.ts';

/**
 * AWS CloudTrail (awsJson1_1, X-Amz-Target com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.<Operation> as AWS
 * documents it, or CloudTrail_20131101.<Operation> as the SDK v3 sends it), as far as the preflight reads it:
 * DescribeTrails, GetTrailStatus and GetEventSelectors, answered by Region and account.
 * - DescribeTrails in a Region lists the caller's trails homed there and, unless IncludeShadowTrails is false, the
 *   shadow trails: the caller's multi-Region trails homed elsewhere, and the organization's organization trails that
 *   cover the Region. A single-Region trail is seen in its home Region only.
 * - GetTrailStatus and GetEventSelectors find a trail by name only among the caller's trails homed in the Region; a
 *   shadow trail (an organization trail in a member account among them) must be named by its ARN.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DescribeTrails.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetEventSelectors.html
 */

const TRAIL_ARN = /^arn:aws:cloudtrail:([\w-]+):(\d{12}):trail\/(.+)$/;

/** The selector a trail gets when it is created without any: every management event, read and write. */
const DEFAULT_EVENT_SELECTORS = [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }];

export const trailArn = (trail: Pick<SimTrail, 'homeRegion' | 'accountId' | 'name'>): string => `arn:aws:cloudtrail:${trail.homeRegion}:${trail.accountId}:trail/${trail.name}`;

export function cloudTrailService(sim: Sim): Service {
  // A test may change the live state without parsing it again: read each flag with the schema's default.
  const trails = () => (sim.state.trails ?? []).map((trail) => ({ ...trail, multiRegion: trail.multiRegion === true, organizationTrail: trail.organizationTrail === true, logging: trail.logging !== false }));

  function authorize(op: string, call: Call): void {
    if (!(CLOUDTRAIL_READS as readonly string[]).includes(op)) throw unknownOperation(op);
    if (!sim.state.cloudTrailDenied?.[call.caller.accountId]?.includes(op as (typeof CLOUDTRAIL_READS)[number])) return;
    throw new SimError('AccessDeniedException', `User: ${call.caller.arn} is not authorized to perform: cloudtrail:${op} because no identity-based policy allows the cloudtrail:${op} action`);
  }

  const isOwn = (trail: SimTrail, call: Call) => trail.accountId === call.caller.accountId;
  /** An organization trail logs every member account, and each member sees it as a shadow trail. */
  const reachesCaller = (trail: SimTrail, call: Call) => isOwn(trail, call) || (trail.organizationTrail && sim.account(call.caller.accountId) !== undefined);
  const homedHere = (trail: SimTrail, call: Call) => isOwn(trail, call) && trail.homeRegion === call.region;
  const isShadowHere = (trail: SimTrail, call: Call) => !homedHere(trail, call) && reachesCaller(trail, call) && (trail.multiRegion || trail.homeRegion === call.region);

  /** The trail a Name or TrailName names: by ARN any trail seen in the Region, by name only the caller's own homed here. */
  function trailNamed(call: Call, member: string): SimTrail {
    const name = requiredInput(call, member);
    if (name.startsWith('arn:')) {
      if (!TRAIL_ARN.test(name)) throw new SimError('CloudTrailARNInvalidException', `Invalid trail ARN: ${name}. The ARN must be in the format arn:aws:cloudtrail:us-east-2:123456789012:trail/MyTrail`);
      const found = trails().find((trail) => trailArn(trail) === name && (homedHere(trail, call) || isShadowHere(trail, call)));
      if (found) return found;
    } else {
      if (!TRAIL_NAME.test(name)) throw new SimError('InvalidTrailNameException', `Trail name ${name} is not valid: 3-128 letters, digits, periods, underscores or dashes, starting and ending with a letter or digit.`);
      const found = trails().find((trail) => trail.name === name && homedHere(trail, call));
      if (found) return found;
    }
    throw new SimError('TrailNotFoundException', `Unknown trail: ${name} for the user: ${call.caller.accountId}`);
  }

  function describeTrails(call: Call) {
    const names = Array.isArray(call.input.trailNameList) ? (call.input.trailNameList as unknown[]).map(String) : [];
    const withShadows = call.input.includeShadowTrails !== false;
    const seen = trails().filter((trail) => homedHere(trail, call) || (withShadows && isShadowHere(trail, call)));
    const listed = names.length === 0 ? seen : seen.filter((trail) => names.includes(trailArn(trail)) || (names.includes(trail.name) && homedHere(trail, call)));
    return {
      trailList: listed.map((trail) => ({
        Name: trail.name,
        S3BucketName: `aws-cloudtrail-logs-${trail.accountId}`,
        IncludeGlobalServiceEvents: true,
        IsMultiRegionTrail: trail.multiRegion,
        HomeRegion: trail.homeRegion,
        TrailARN: trailArn(trail),
        LogFileValidationEnabled: true,
        HasCustomEventSelectors: trail.eventSelectors !== undefined || trail.advancedEventSelectors !== undefined,
        HasInsightSelectors: false,
        IsOrganizationTrail: trail.organizationTrail,
      })),
    };
  }

  return {
    protocol: 'awsJson1_1',
    handle: (op, call) => {
      authorize(op, call);
      if (op === 'DescribeTrails') return describeTrails(call);
      if (op === 'GetTrailStatus') {
        const trail = trailNamed(call, 'Name');
        return { IsLogging: trail.logging };
      }
      const trail = trailNamed(call, 'TrailName');
      if (trail.advancedEventSelectors) return { TrailARN: trailArn(trail), AdvancedEventSelectors: trail.advancedEventSelectors };
      return { TrailARN: trailArn(trail), EventSelectors: trail.eventSelectors ?? DEFAULT_EVENT_SELECTORS };
    },
  };
}
