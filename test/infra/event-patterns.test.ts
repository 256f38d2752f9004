import { readdirSync } from 'node:fs';
import type { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { executionEndedEvent } from '#shared/events/execution-ended';
import { parseRunInput } from '#shared/events/run-input';
import { TRIGGERS } from '#shared/events/triggers/index';
import { patternOf, type RuledTrigger, type TriggerDefinition } from '#shared/events/triggers/trigger';
import { fixtureEvent, SAMPLE_EVENTS_DIR, sampleEvent } from '../support/events.ts';
import { matchesPattern } from '../support/event-pattern.ts';
import { buildApp, DELEGATED, withTagExclusion } from './synth.ts';

/**
 * The tie between the rules the templates deploy and the sample events in events/: every rule matches a sample, every
 * sample is matched by a rule (or, for the schedule's event, is what the deployed schedule sends), and the task's
 * parser accepts each one. Matching is EventBridge's (test/support/event-pattern.ts), not a comparison of strings.
 */

/** What CloudFormation resolves at deploy time (a role's ARN, the partition): a value no sample event holds. */
const DEPLOY_TIME = '<resolved at deploy>';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** The template value with every intrinsic resolved: Fn::Join joined, any other intrinsic a deploy-time value. */
function resolved(value: Json): Json {
  if (Array.isArray(value)) return value.map(resolved);
  if (typeof value !== 'object' || value === null) return value;
  const [key, argument] = Object.entries(value)[0] ?? [];
  if (Object.keys(value).length === 1 && key === 'Fn::Join') {
    const [separator, parts] = argument as [string, Json[]];
    return parts.map((part) => (typeof part === 'string' ? part : String(resolved(part)))).join(separator);
  }
  if (Object.keys(value).length === 1 && key && (key === 'Ref' || key.startsWith('Fn::'))) return DEPLOY_TIME;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolved(v)]));
}

interface Resource {
  readonly Type: string;
  readonly Properties?: { [key: string]: Json };
}

interface DeployedRule {
  readonly name: string;
  readonly pattern: { [key: string]: Json };
}

/** Every rule in a template, and in the templates of its StackSets (the rules they deploy in member accounts). */
function rulesIn(where: string, resources: Record<string, Resource>): DeployedRule[] {
  return Object.entries(resources).flatMap(([id, resource]) => {
    if (resource.Type === 'AWS::Events::Rule' && resource.Properties?.['EventPattern']) {
      return [{ name: `${where}/${id}`, pattern: resolved(resource.Properties['EventPattern']) as DeployedRule['pattern'] }];
    }
    if (resource.Type === 'AWS::CloudFormation::StackSet') {
      const body = resolved(resource.Properties!['TemplateBody']!);
      return rulesIn(`${where}/${id}`, (JSON.parse(String(body)) as { Resources: Record<string, Resource> }).Resources);
    }
    return [];
  });
}

interface Deployment {
  readonly name: string;
  readonly app: App;
  /** Whether the configuration uses account tags: only then do the tag-change rules deploy. */
  readonly usesTags: boolean;
}

const DEPLOYMENTS: Deployment[] = [
  { name: 'single', app: buildApp(), usesTags: false },
  { name: 'delegated', app: buildApp(DELEGATED), usesTags: false },
  { name: 'single, configuration using tags', app: buildApp({ config: withTagExclusion() }), usesTags: true },
];

const templatesOf = (deployment: Deployment) => deployment.app.synth().stacks.map((stack) => ({ stack: stack.stackName, resources: (stack.template as { Resources: Record<string, Resource> }).Resources }));
const rulesOf = (deployment: Deployment) => templatesOf(deployment).flatMap(({ stack, resources }) => rulesIn(`${deployment.name}: ${stack}`, resources));

const SAMPLES = readdirSync(SAMPLE_EVENTS_DIR).filter((file) => file.endsWith('.json')).sort();
const SCHEDULED = 'scheduled-nightly.json';
const triggerOf = (event: unknown) => parseRunInput(event).trigger;

/**
 * The one event a rule deploys for that is no trigger: Step Functions' own status change of an enforcer run that ended
 * without success, which releases the run's claim (shape: https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html).
 * The rule names its own state machine, whose ARN is known only at deploy.
 */
const runEnded = () => {
  const event = fixtureEvent('states-execution-timed-out.json');
  return { ...event, detail: { ...event['detail'], stateMachineArn: DEPLOY_TIME } };
};

describe('the deployed rules and the sample events', () => {
  it.each(DEPLOYMENTS.flatMap((deployment) => rulesOf(deployment).map((rule) => [rule.name, rule] as const)))('%s matches a sample event', (_, rule) => {
    const matched = SAMPLES.filter((file) => matchesPattern(rule.pattern, sampleEvent(file)));
    if (matchesPattern(rule.pattern, runEnded())) matched.push('states-execution-timed-out.json');

    expect(matched, `no sample event in events/ matches ${JSON.stringify(rule.pattern)}`).not.toEqual([]);
  });

  it('a run that ended without success is matched by the claim-release rule of every topology, and release-claim accepts the event', () => {
    for (const deployment of DEPLOYMENTS) {
      expect(rulesOf(deployment).filter((rule) => matchesPattern(rule.pattern, runEnded())), deployment.name).toHaveLength(1);
    }
    expect(executionEndedEvent.safeParse(runEnded()).success).toBe(true);
  });

  it('a run that succeeded matches no deployed rule', () => {
    const succeeded = { ...runEnded(), detail: { ...runEnded().detail, status: 'SUCCEEDED' } };

    expect(DEPLOYMENTS.flatMap(rulesOf).filter((rule) => matchesPattern(rule.pattern, succeeded))).toEqual([]);
  });

  it.each(SAMPLES.filter((file) => file !== SCHEDULED))('%s is matched by a deployed rule wherever its trigger is on, and the parser accepts it', (file) => {
    const event = sampleEvent(file);
    const trigger = triggerOf(event);
    const expectedIn = DEPLOYMENTS.filter((deployment) => trigger !== 'tag-change' || deployment.usesTags);

    for (const deployment of expectedIn) {
      expect(rulesOf(deployment).filter((rule) => matchesPattern(rule.pattern, event)).map((rule) => rule.name), `${file} matches no rule of the ${deployment.name} topology`).not.toEqual([]);
    }
    expect(trigger).not.toBe('manual');
  });

  it.each(['ct-failed.json', 'orgs-failed.json'])('%s, a FAILED account creation, matches no deployed rule', (file) => {
    const event = fixtureEvent(file);

    expect(DEPLOYMENTS.flatMap(rulesOf).filter((rule) => matchesPattern(rule.pattern, event)).map((rule) => rule.name)).toEqual([]);
  });

  it('a Control Tower event under the detail-type it does not have ("AWS Control Tower via CloudTrail") matches no deployed rule', () => {
    const event = { ...sampleEvent('ct-create-managed-account-succeeded.json'), 'detail-type': 'AWS Control Tower via CloudTrail' };

    expect(DEPLOYMENTS.flatMap(rulesOf).filter((rule) => matchesPattern(rule.pattern, event))).toEqual([]);
  });

  it.each(DEPLOYMENTS.filter((deployment) => !deployment.usesTags).map((deployment) => [deployment.name, deployment] as const))(
    `${SCHEDULED} is what the nightly schedule of the %s topology sends, and the parser accepts it`,
    (_, deployment) => {
      const sample = sampleEvent(SCHEDULED);
      // Scheduler fills in its context attributes when it fires:
      // https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html
      const firing: Record<string, string> = { '<aws.scheduler.execution-id>': sample['id'], '<aws.scheduler.scheduled-time>': sample['time'], '<aws.scheduler.schedule-arn>': sample['resources'][0] };
      const schedules = templatesOf(deployment).flatMap(({ resources }) => Object.values(resources).filter((resource) => resource.Type === 'AWS::Scheduler::Schedule'));
      expect(schedules).toHaveLength(1);
      const input = String(resolved((schedules[0]!.Properties!['Target'] as { Input: Json }).Input));

      const sent = JSON.parse(input.replace(/<aws\.scheduler\.[a-z-]+>/g, (attribute) => firing[attribute] ?? attribute)) as Record<string, unknown>;

      // The schedule builds its input itself: the sample's account and region are the envelope EventBridge would add.
      const { account: _account, region: _region, ...built } = sample;
      expect(sent).toEqual(built);
      expect(triggerOf(sent)).toBe('schedule');
    },
  );
});

describe('each trigger\'s definition and its sample events', () => {
  const ALL: readonly TriggerDefinition[] = TRIGGERS;
  const ruled = ALL.filter((trigger): trigger is RuledTrigger => trigger.rule !== undefined);
  /** Writer roles as a deploy fills them in: the contact-changed pattern leaves their writes out. */
  const WRITERS = ['arn:aws:iam::111111111111:role/AlternateContactsEnforcer-PutContacts'];
  const othersSamples = (trigger: TriggerDefinition) => ALL.filter((other) => other !== trigger).flatMap((other) => other.samples);

  it('lists every sample event in events/ under exactly one trigger', () => {
    expect(ALL.flatMap((trigger) => trigger.samples).sort()).toEqual(SAMPLES);
  });

  it.each(ruled.map((trigger) => [trigger.trigger, trigger] as const))('%s: its pattern matches its own samples and no other trigger\'s', (_, trigger) => {
    const pattern = patternOf(trigger.rule, WRITERS);

    expect(trigger.samples).not.toEqual([]);
    for (const file of trigger.samples) expect(matchesPattern(pattern, sampleEvent(file)), file).toBe(true);
    expect(othersSamples(trigger).filter((file) => matchesPattern(pattern, sampleEvent(file)))).toEqual([]);
  });

  it.each(ALL.flatMap((trigger) => trigger.samples.map((file) => [file, trigger] as const)))('%s parses with its trigger\'s parser, and parseRunInput picks that trigger', (file, trigger) => {
    const event = sampleEvent(file);

    expect(trigger.parse(event).trigger).toBe(trigger.trigger);
    expect(triggerOf(event)).toBe(trigger.trigger);
  });

  it('names each trigger once, so a run finds its one definition', () => {
    const names = ALL.map((trigger) => trigger.trigger);

    expect(new Set(names).size).toBe(names.length);
  });
});
