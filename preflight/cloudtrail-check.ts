import { CloudTrailClient, DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand, type Trail } from '@aws-sdk/client-cloudtrail';
import type { EnforcerConfig } from '#shared/rules/config';
import { TRIGGERS } from '#shared/events/triggers/index';
import { type CloudTrailNeed, isSwitchedOn, type TriggerDefinition } from '#shared/events/triggers/trigger';
import { HOME_REGION } from '../infra/names.ts';
import type { CheckContext } from './check-context.ts';
import { once } from './facts.ts';
import { describeError } from '#shared/rules/errors';
import { type CheckResult, fail, pass, skipped, warn } from './result.ts';
import { type ManagementWrite, recordsWrite, type TrailSelectors } from './trail-selectors.ts';

/**
 * cloudtrail-delivery: the triggers that react to an API call (a move, a hand contact edit, a tag change) receive
 * "AWS API Call via CloudTrail" events, which EventBridge receives only from a trail that is logging and records
 * management write events in us-east-1, where Organizations and the Account API record their calls. Each trigger
 * states which calls it needs and where they are recorded (its cloudTrail need, tasks/shared/events/triggers/). Each
 * event lands in the account where the call was made, so a trail must cover that account: its own trail, or the
 * organization trail (which logs every account).
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html
 * Global service events (IncludeGlobalServiceEvents) do not matter here: CloudTrail counts only CloudFront, IAM,
 * sign-in and STS among them; Organizations and the Account API are recorded as us-east-1's own events.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-a-trail-by-using-the-aws-cli-update-trail.html
 */

const ID = 'cloudtrail-delivery';
const READS = 'cloudtrail:DescribeTrails, cloudtrail:GetTrailStatus and cloudtrail:GetEventSelectors';
const ORGANIZATION_TRAIL_FIX =
  `aws cloudtrail create-trail --name organization-trail --s3-bucket-name <a bucket whose policy lets cloudtrail.amazonaws.com write> --is-multi-region-trail --is-organization-trail --region ${HOME_REGION}`
  + ` && aws cloudtrail start-logging --name organization-trail --region ${HOME_REGION} (management account: an organization trail covers every account)`;

/** Where a call is recorded: one account, or every member account (edits made inside them). */
type Place = { readonly kind: 'account'; readonly accountId: string; readonly label: string } | { readonly kind: 'members'; readonly label: string };

/** Events a switched-on trigger needs, and where they are recorded. */
interface Need {
  readonly what: string;
  readonly events: readonly ManagementWrite[];
  readonly place: Place;
}

/** What a trail does with a need's events. */
type Verdict =
  | { readonly kind: 'delivers' }
  /** Known not to deliver, with the change that makes it deliver. */
  | { readonly kind: 'blocked'; readonly reason: string; readonly fix: string }
  /** Might deliver: some callers only, or a read was refused. */
  | { readonly kind: 'uncertain'; readonly reason: string };

interface SeenTrail {
  readonly name: string;
  readonly owner: string;
  readonly organizationTrail: boolean;
  readonly summary: string;
  verdict(events: readonly ManagementWrite[]): Promise<Verdict>;
}

const listed = (items: readonly string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);
const isAccessDenied = (error: unknown) => error instanceof Error && /AccessDenied/.test(error.name);

export async function cloudTrailCheck(context: CheckContext): Promise<CheckResult> {
  const { config, delegated, enforcerAccountId, facts } = context;
  const calls = apiCallTriggers(config);
  if (calls.length === 0) {
    return skipped(ID, 'no switched-on trigger waits for an AWS API Call via CloudTrail event: triggers.accountMoved and triggers.contactChanged are off, and tag changes are watched only when the configuration uses tags');
  }
  const caller = await facts.caller();
  const management = (await facts.organization()).MasterAccountId ?? '';
  const needs = needsOf(calls, management, delegated && enforcerAccountId !== management ? enforcerAccountId : undefined);

  // Every read in us-east-1, naming each trail by its ARN: the only way to read a shadow trail (a multi-Region trail
  // homed elsewhere, or the organization trail seen from a member account).
  const cloudTrail = new CloudTrailClient({ region: HOME_REGION });
  try {
    let trailList: Trail[];
    try {
      ({ trailList = [] } = await cloudTrail.send(new DescribeTrailsCommand({ includeShadowTrails: true })));
    } catch (error) {
      if (!isAccessDenied(error)) throw error;
      return skipped(ID, `cloudtrail:DescribeTrails is refused to the caller (${describeError(error)}): allow ${READS} to check that ${listed(calls.map((c) => c.eventNames))} reach EventBridge`);
    }
    const trails = trailList.map((trail) => seenTrail(cloudTrail, trail, caller));
    const outcomes = [];
    for (const need of needs) outcomes.push({ need, ...(await judge(need, trails, caller)) });

    const found = trails.length > 0
      ? `trails seen from ${caller} in ${HOME_REGION}: ${trails.map((t) => t.summary).join(', ')}`
      : `no trail seen from ${caller} in ${HOME_REGION}; a single-Region trail homed in another Region is seen only there, and records nothing in ${HOME_REGION}`;
    // Needs with the same outcome (usually one organization trail delivering them all) share one clause.
    const clauses = new Map<string, string[]>();
    for (const o of outcomes) clauses.set(o.text, [...(clauses.get(o.text) ?? []), o.need.what]);
    const detail = `${[...clauses].map(([text, whats]) => `${listed(whats)}: ${text}`).join('; ')} (${found})`;
    const failed = outcomes.filter((o) => o.status === 'FAIL');
    if (failed.length > 0) return fail(ID, detail, [...new Set(failed.map((o) => o.fix))].join('; '));
    if (outcomes.some((o) => o.status === 'WARN')) return warn(ID, detail);
    return pass(ID, detail);
  } finally {
    cloudTrail.destroy();
  }
}

/** The calls a trail must record for the triggers the configuration switches on, as each trigger states its need. */
function apiCallTriggers(config: EnforcerConfig): { trigger: string; eventNames: string; events: ManagementWrite[]; recordedIn: CloudTrailNeed['recordedIn'] }[] {
  return (TRIGGERS as readonly TriggerDefinition[]).flatMap((trigger) => {
    const need = trigger.cloudTrail;
    if (!need || !isSwitchedOn(trigger, config)) return [];
    return [{
      trigger: trigger.switch?.key ?? trigger.trigger,
      eventNames: need.eventNames.join('/'),
      events: need.eventNames.map((eventName) => ({ eventSource: need.eventSource, eventName })),
      recordedIn: need.recordedIn,
    }];
  });
}

/**
 * Where each call is recorded: in the management account, or in the account that made it, which is the management
 * account, the delegated administrator, or a member account (forwarded by the StackSet).
 */
function needsOf(calls: ReturnType<typeof apiCallTriggers>, management: string, enforcer: string | undefined): Need[] {
  const inManagement: Place = { kind: 'account', accountId: management, label: `the management account ${management}` };
  return calls.flatMap(({ trigger, eventNames, events, recordedIn }) => {
    const recordedInManagement = { what: `${eventNames} (triggers.${trigger})`, events, place: inManagement };
    if (recordedIn === 'management-account') return [recordedInManagement];
    return [
      { ...recordedInManagement, what: `${eventNames} from the management account (triggers.${trigger})` },
      ...(enforcer ? [{ what: `${eventNames} from the delegated administrator`, events, place: { kind: 'account' as const, accountId: enforcer, label: `the enforcer account ${enforcer}` } }] : []),
      { what: `${eventNames} inside member accounts`, events, place: { kind: 'members' as const, label: 'every member account' } },
    ];
  });
}

/** A trail as DescribeTrails shows it; its status and selectors are read once, when a need first asks. */
function seenTrail(cloudTrail: CloudTrailClient, trail: Trail, caller: string): SeenTrail {
  const name = trail.Name ?? '';
  const arn = trail.TrailARN ?? '';
  const owner = arn.split(':')[4] ?? '';
  const homeRegion = trail.HomeRegion ?? '';
  const organizationTrail = trail.IsOrganizationTrail === true;
  const inOwner = owner === caller ? '' : ` (in account ${owner})`;
  const coversHomeRegion = trail.IsMultiRegionTrail === true || homeRegion === HOME_REGION;
  // Read once each, when a need first asks; a trail that cannot be read is uncertain, never a crash of the check.
  const status = once(() => cloudTrail.send(new GetTrailStatusCommand({ Name: arn })));
  const selectors = once(() => cloudTrail.send(new GetEventSelectorsCommand({ TrailName: arn })));
  const unreadable = (what: string, error: unknown): Verdict => ({
    kind: 'uncertain',
    reason: `${name}'s ${what} could not be read (${describeError(error)}${isAccessDenied(error) ? `; allow ${READS}` : ''})`,
  });
  return {
    name,
    owner,
    organizationTrail,
    summary: `${name} (${organizationTrail ? 'organization trail' : 'trail'} of ${owner}, ${trail.IsMultiRegionTrail ? 'multi-Region' : 'single-Region'}, home ${homeRegion})`,
    async verdict(events) {
      if (!coversHomeRegion) {
        return { kind: 'blocked', reason: `${name} logs ${homeRegion} only, not ${HOME_REGION}`, fix: `aws cloudtrail update-trail --name ${name} --is-multi-region-trail --region ${homeRegion}${inOwner}` };
      }
      let logging: boolean;
      try {
        logging = (await status()).IsLogging === true;
      } catch (error) {
        return unreadable('status', error);
      }
      if (!logging) return { kind: 'blocked', reason: `${name} is not logging`, fix: `aws cloudtrail start-logging --name ${arn} --region ${homeRegion}${inOwner}` };
      let read: TrailSelectors;
      try {
        read = await selectors();
      } catch (error) {
        return unreadable('event selectors', error);
      }
      const recordings = events.map((event) => recordsWrite(read, event));
      const none = recordings.find((r) => r.kind === 'none');
      if (none) return { kind: 'blocked', reason: `${name}: ${none.reason}`, fix: selectorFix(name, homeRegion, (read.AdvancedEventSelectors ?? []).length > 0, inOwner) };
      const some = recordings.find((r) => r.kind === 'some');
      if (some) return { kind: 'uncertain', reason: `${name}: ${some.reason}` };
      return { kind: 'delivers' };
    },
  };
}

function selectorFix(name: string, homeRegion: string, advanced: boolean, inOwner: string): string {
  const selectors = advanced
    ? `--advanced-event-selectors '[{"Name":"Management events","FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]}]'`
    : `--event-selectors '[{"ReadWriteType":"All","IncludeManagementEvents":true}]'`;
  return `aws cloudtrail put-event-selectors --trail-name ${name} --region ${homeRegion} ${selectors}${inOwner} (it replaces the trail's selectors: add its data-event selectors to the list)`;
}

/** Which trail delivers a need's events, and, when none does, whether that is certain (FAIL) or cannot be seen (WARN). */
async function judge(need: Need, trails: readonly SeenTrail[], caller: string): Promise<{ status: 'PASS' | 'WARN' | 'FAIL'; text: string; fix?: string }> {
  const { place } = need;
  // Organization trails first: fixing one covers every need at once, so its fix is the one offered.
  const candidates = trails
    .filter((t) => t.organizationTrail || (place.kind === 'account' && t.owner === place.accountId))
    .sort((a, b) => Number(b.organizationTrail) - Number(a.organizationTrail));
  const verdicts: { trail: SeenTrail; verdict: Verdict }[] = [];
  for (const trail of candidates) verdicts.push({ trail, verdict: await trail.verdict(need.events) });
  const delivering = verdicts.find((v) => v.verdict.kind === 'delivers');
  if (delivering) return { status: 'PASS', text: `delivered by ${delivering.trail.organizationTrail ? 'organization trail ' : ''}${delivering.trail.name}` };

  const reasons = verdicts.map(({ verdict }) => (verdict.kind === 'delivers' ? '' : verdict.reason));
  const why = reasons.length > 0 ? reasons.join('; ') : `no trail covers ${place.label}`;
  if (verdicts.some((v) => v.verdict.kind === 'uncertain')) return { status: 'WARN', text: `not certain to reach EventBridge: ${why}` };
  // Only the caller's own trails and organization trails can be seen from here: another account may have its own.
  if (place.kind === 'members') {
    return { status: 'WARN', text: `no organization trail delivers them (${why}), so a hand edit inside a member account waits for the nightly run unless that account has its own trail` };
  }
  if (place.accountId !== caller) {
    return { status: 'WARN', text: `no organization trail delivers them (${why}); ${place.label} may have its own trail, which ${caller} cannot see: run aws cloudtrail describe-trails --region ${HOME_REGION} there` };
  }
  const blocked = verdicts.map((v) => v.verdict).filter((v) => v.kind === 'blocked');
  return { status: 'FAIL', text: `no trail delivers them to EventBridge in ${HOME_REGION}: ${why}`, fix: blocked[0]?.fix ?? ORGANIZATION_TRAIL_FIX };
}
