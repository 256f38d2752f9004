import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '#shared/rules/errors';
import { buildApp, exampleConfigWith, MANAGEMENT_ACCOUNT, STACK_IDS } from './synth.ts';

const environmentOf = (context: Record<string, unknown>, stackId: string) => (buildApp(context).node.findChild(stackId) as Stack).environment;

describe('the CDK app', () => {
  it('synthesizes the example configuration as one stack in the management account, in us-east-1', () => {
    const app = buildApp();

    const stacks = app.node.children.filter((child) => Stack.isStack(child)).map((child) => child.node.id);

    expect(stacks).toEqual([STACK_IDS.enforcer]);
    expect(environmentOf({}, STACK_IDS.enforcer)).toBe(`aws://${MANAGEMENT_ACCOUNT}/us-east-1`);
  });

  it('lets the context override the configuration file\'s deployment settings', () => {
    expect(environmentOf({ managementAccountId: '222222222222' }, STACK_IDS.enforcer)).toBe('aws://222222222222/us-east-1');
  });

  it('validates the context overrides like the file', () => {
    expect(() => buildApp({ topology: 'delegated' })).toThrow(/deployment\.enforcerAccountId: is required for the delegated topology/);
  });

  it('refuses a configuration without a deployment section, saying what to add', () => {
    const config = exampleConfigWith((c) => {
      delete c.deployment;
    });

    expect(() => buildApp({ config })).toThrow(ConfigError);
    expect(() => buildApp({ config })).toThrow(/deployment: is required .* topology, managementAccountId and organizationId/);
  });

  it('prints a bad configuration\'s problems and exits non-zero with nothing synthesized', () => {
    const config = exampleConfigWith((c) => {
      c.contacts = { ...c.contacts, SECURITY: { ...c.contacts.SECURITY!, phone: 'call me' } };
    });
    const outdir = mkdtempSync(join(tmpdir(), 'enforcer-synth-'));

    const synth = spawnSync('node_modules/.bin/tsx', ['infra/app.ts'], {
      encoding: 'utf8',
      env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ config, 'aws:cdk:bundling-stacks': [] }) },
    });

    expect(synth.status).toBe(1);
    expect(synth.stderr).toContain(`Invalid configuration ${config}`);
    expect(synth.stderr).toContain('contacts.SECURITY.phone: may hold only digits, spaces and ()+-');
    expect(synth.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(existsSync(join(outdir, 'manifest.json'))).toBe(false);
  });
});
