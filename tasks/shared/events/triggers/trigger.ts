import type { EnforcerConfig } from '../../rules/config.ts';

/**
 * The part of an EventBridge event pattern the triggers use, spelt as EventBridge spells it (`detail-type`), so that a
 * pattern goes into a CloudFormation template as it is and is matched against a sample event as it is. tasks/ never
 * imports aws-cdk-lib, whose EventPattern infra/ builds from this one.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 */
export interface EventPattern {
  readonly source: readonly string[];
  readonly 'detail-type': readonly string[];
  readonly detail: Readonly<Record<string, unknown>>;
}

/** The config.triggers keys that are on/off switches. */
export type SwitchKey = { [K in keyof EnforcerConfig['triggers']]-?: EnforcerConfig['triggers'][K] extends boolean ? K : never }[keyof EnforcerConfig['triggers']];

/** The configuration that turns a trigger on. */
export interface TriggerSwitch {
  /** The config.triggers key. Off: the trigger's rule is not deployed, and an event that arrives anyway runs nothing. */
  readonly key: SwitchKey;
  /** A further condition for deploying the rule. An event that arrives without it still runs: it is a real change. */
  readonly deployedOnlyWhen?: (config: EnforcerConfig) => boolean;
}

/** The EventBridge rule that delivers a trigger's events. */
export interface TriggerRule {
  /** PascalCase: the rule's construct id, `<id>Rule`, and its name, `AlternateContactsEnforcer-<id>`. */
  readonly id: string;
  readonly description: string;
  /** A pattern, or one built from the roles the put task writes as, for a trigger that must not match the enforcer's own writes. */
  readonly pattern: EventPattern | ((writerRoleArns: readonly string[]) => EventPattern);
}

/**
 * What a trail must record for the trigger's events to reach EventBridge: management write events of one service,
 * these calls. (Service events, such as the account-created ones, reach EventBridge without any trail.)
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event.html
 */
export interface CloudTrailNeed {
  /** The service as a CloudTrail record names it, e.g. organizations.amazonaws.com. */
  readonly eventSource: string;
  readonly eventNames: readonly string[];
  /**
   * Where CloudTrail records the call: Organizations calls in the management account; an Account API call in the
   * account that made it (the management account, the delegated administrator, or a member).
   */
  readonly recordedIn: 'management-account' | 'calling-account';
}

/** What a trigger's claim key may need beyond its run. */
export interface ClaimContext {
  /** The execution's name, the run's id. */
  readonly executionName: string;
  /** Where an account sits now, read from Organizations. */
  readonly parentIdOf: (accountId: string) => Promise<string>;
}

/** What every run input carries: the trigger that started it. */
export interface TriggeredRun {
  readonly trigger: string;
}

/**
 * One trigger, defined once: how its input is recognised and parsed, the claim its runs take, the switch that turns it
 * on, the rule that delivers it, what it needs from CloudTrail, and its sample events. The registry (index.ts) lists
 * every trigger; infra builds the rules from it, resolve-targets dispatches through it, and preflight derives what it
 * checks of CloudTrail from it.
 */
export interface TriggerDefinition<R extends TriggeredRun = TriggeredRun> {
  readonly trigger: R['trigger'];
  /** The EventBridge source of its events; absent for the console input, which is no event. */
  readonly source?: string;
  /** `detail.eventName` of its CloudTrail events; absent for a source with one kind of event. */
  readonly eventNames?: readonly string[];
  /** The run its input asks for; throws MalformedInputError naming the field and the rule. */
  parse(input: unknown): R;
  /** The key that makes every delivery of one change one run (tasks/resolve-targets.ts claims it). */
  claimKey(run: R, context: ClaimContext): string | Promise<string>;
  /** Why a well-formed input of this trigger starts no run, if it does not. */
  skipReason?(run: R): string | undefined;
  /** Absent: the trigger is always on (the schedule, an operator's run). */
  readonly switch?: TriggerSwitch;
  /** Absent: nothing EventBridge delivers by rule (the schedule's own target, the deploy, the console). */
  readonly rule?: TriggerRule;
  readonly cloudTrail?: CloudTrailNeed;
  /** Its sample events, files in events/ (events/README.md). */
  readonly samples: readonly string[];
}

/** A trigger that EventBridge delivers by rule. */
export type RuledTrigger<R extends TriggeredRun = TriggeredRun> = TriggerDefinition<R> & { readonly rule: TriggerRule };

/** A rule's pattern for the roles the put task writes as. */
export const patternOf = (rule: TriggerRule, writerRoleArns: readonly string[]): EventPattern => (typeof rule.pattern === 'function' ? rule.pattern(writerRoleArns) : rule.pattern);

/** Whether the configuration turns a trigger on: its switch is on (or it has none), and any further condition holds. */
export const isSwitchedOn = (trigger: TriggerDefinition, config: EnforcerConfig): boolean =>
  !trigger.switch || (config.triggers[trigger.switch.key] && (trigger.switch.deployedOnlyWhen?.(config) ?? true));
