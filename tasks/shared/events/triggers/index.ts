import { accountJoined } from './account-joined.ts';
import { accountMoved } from './account-moved.ts';
import { consoleInput } from './console.ts';
import { contactChanged } from './contact-changed.ts';
import { controlTowerAccountCreated } from './control-tower-account-created.ts';
import { deploy } from './deploy.ts';
import { organizationsAccountCreated } from './organizations-account-created.ts';
import { schedule } from './schedule.ts';
import { tagsChanged } from './tags-changed.ts';
import type { TriggerDefinition } from './trigger.ts';
import type { Trigger } from '../../rules/model.ts';

/**
 * Every trigger. Adding one is adding its module and listing it here. The order is the order parseRunInput names the
 * sources and event names it accepts in its messages.
 */
export const TRIGGERS = [
  controlTowerAccountCreated,
  organizationsAccountCreated,
  accountJoined,
  accountMoved,
  contactChanged,
  schedule,
  deploy,
  tagsChanged,
  consoleInput,
] as const;

type RunOf<D> = D extends TriggerDefinition<infer R> ? R : never;

/** What started a run, read from the state machine's input: each trigger's own run. */
export type RunInput = RunOf<(typeof TRIGGERS)[number]>;

type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/**
 * The run model below the events (rules/model.ts, which cannot import them) names the same triggers as this registry:
 * registering a trigger fails the type check until the model names it too.
 */
export const MODEL_NAMES_EVERY_TRIGGER: Exactly<RunInput['trigger'], Trigger> = true;

/** The triggers EventBridge (or the deploy's custom resource) delivers as events, told apart by source and event name. */
export const EVENT_TRIGGERS: readonly TriggerDefinition<RunInput>[] = TRIGGERS.filter((trigger) => trigger.source !== undefined);

/** An operator's input: anything that is no event. */
export const CONSOLE_TRIGGER = consoleInput;

/**
 * The definition of a run's trigger. Each trigger name belongs to one definition (test/infra/event-patterns.test.ts),
 * so the definition found takes this run.
 */
export function definitionOf<R extends RunInput>(run: R): TriggerDefinition<R> {
  return TRIGGERS.find((trigger) => trigger.trigger === run.trigger) as unknown as TriggerDefinition<R>;
}

export type { TriggerDefinition } from './trigger.ts';
