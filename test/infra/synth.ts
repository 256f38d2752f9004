import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { ConfigInput } from '#shared/rules/config';
import { buildEnforcerApp, STACK_IDS } from '../../infra/enforcer-app.ts';

export { STACK_IDS };

/** The example configuration shown as the delegated topology, the way the README's context overrides do it. */
export const DELEGATED = { topology: 'delegated', enforcerAccountId: '333333333333' } as const;
export const MANAGEMENT_ACCOUNT = '111111111111';
export const ENFORCER_ACCOUNT = '333333333333';
export const ORGANIZATION = 'o-a1b2c3d4e5';

/** The context `cdk synth` reads from cdk.json: its feature flags hold in the tests too. */
const CDK_JSON_CONTEXT = (JSON.parse(readFileSync('cdk.json', 'utf8')) as { context: Record<string, unknown> }).context;

/**
 * Builds a new app from config/alternate-contacts.yaml plus `context`, skipping esbuild (the tests read templates
 * only). `validateTemplates` runs the CDK's built-in CloudFormation validation, as `cdk synth` does: its engine costs
 * about 3 s to start in a process, and each stack about half a second.
 */
export function freshApp(context: Record<string, unknown> = {}, { validateTemplates = false } = {}): App {
  const app = new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context }, builtinCloudFormationValidation: validateTemplates });
  buildEnforcerApp(app);
  return app;
}

// Synthesis is most of an infra test's time, and most tests only read a template. The infra test files share one
// module instance (vitest.config.ts: the infra project does not isolate them), so each context is synthesized once
// per test run, whichever file asks first.
const shared = new Map<string, App>();

/**
 * The app for `context`, built once per test run and shared: read it, never change it (a test that adds constructs
 * takes a freshApp). A context that fails to build throws again on every call.
 *
 * Validation against CloudFormation's schemas changes no template, so only the test of it asks for it
 * (`cdk-nag.test.ts`, on the shipped configuration's topologies): its engine then starts in one worker, not in each.
 */
export function buildApp(context: Record<string, unknown> = {}, { validateTemplates = false } = {}): App {
  const key = JSON.stringify([validateTemplates, ...Object.entries(context).sort(([a], [b]) => a.localeCompare(b))]);
  let app = shared.get(key);
  if (!app) {
    app = freshApp(context, { validateTemplates });
    shared.set(key, app);
  }
  return app;
}

export function templateOf(app: App, stackId: string): Template {
  return Template.fromStack(app.node.findChild(stackId) as Stack);
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** Every resource of one type in a template, by logical id. */
export function resourcesOf(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}

/** A CloudFormation value as one string, each reference written `<LogicalId>`: Fn::Join is how CDK puts tokens in a string. */
export const flat = (value: unknown): string => {
  if (typeof value === 'string') return value;
  const json = value as Record<string, any>;
  if (json.Ref) return `<${json.Ref}>`;
  if (json['Fn::Join']) return (json['Fn::Join'][1] as unknown[]).map(flat).join(json['Fn::Join'][0]);
  return JSON.stringify(value);
};

let tagExclusionConfig: string | undefined;
/** The example configuration with a tag exclusion: a configuration that uses tags, so the tag-change rules deploy. */
export const withTagExclusion = (): string =>
  (tagExclusionConfig ??= exampleConfigWith((config) => {
    config.exclusions = { ...config.exclusions, tags: ['alternate-contacts=unmanaged'] };
  }));

/** Writes a variant of the example configuration to a temporary file and returns its path, for `-c config=`. */
export function exampleConfigWith(change: (config: ConfigInput) => void): string {
  const config = parseYaml(readFileSync('config/alternate-contacts.yaml', 'utf8')) as ConfigInput;
  change(config);
  const file = join(mkdtempSync(join(tmpdir(), 'enforcer-config-')), 'config.yaml');
  writeFileSync(file, stringifyYaml(config));
  return file;
}
