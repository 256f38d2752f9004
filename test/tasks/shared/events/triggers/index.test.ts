import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { TRIGGERS } from '#shared/events/triggers/index';
import { ROOT } from '../../../../support/cli.ts';

/** The product's source files, under infra/ and tasks/, that hold a string: one git grep, fixed-string. */
function productFilesHolding(text: string): string[] {
  const out = execFileSync('git', ['grep', '-l', '-F', text, '--', 'infra', 'tasks'], { cwd: ROOT, encoding: 'utf8' });
  return out.trim().split('\n').filter(Boolean);
}

describe('the trigger registry', () => {
  // Each organization event is spelt by its trigger's module alone: a rule, a parser, preflight's CloudTrail need and
  // a log line all take its name from there, so a rename or a new trigger touches one file. The Account API's events
  // are the operations the enforcer itself calls and grants (SDK commands, IAM actions, quotas), named there as such.
  const named = TRIGGERS.filter((trigger) => trigger.source !== 'aws.account').flatMap((trigger) => (trigger.eventNames ?? []).map((eventName) => [eventName, trigger.trigger] as const));

  it('names the organization events', () => {
    expect(named.map(([eventName]) => eventName)).toEqual(expect.arrayContaining(['CreateManagedAccount', 'CreateAccountResult', 'AccountJoinedOrganization', 'MoveAccount', 'TagResource']));
  });

  it.each(named)('writes %s in one source file under infra/ and tasks/: its trigger\'s module (%s)', (eventName) => {
    const files = productFilesHolding(eventName);

    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^tasks\/shared\/events\/triggers\/[a-z-]+\.ts$/);
  });
});
