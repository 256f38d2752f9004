import type { Construct } from 'constructs';
import { loadConfig, parseConfig, type EnforcerConfig } from '#shared/rules/config';
import { ConfigError } from '#shared/rules/errors';

export type Deployment = NonNullable<EnforcerConfig['deployment']>;
export type DelegatedDeployment = Deployment & { readonly topology: 'delegated'; readonly enforcerAccountId: string };

export const DEFAULT_CONFIG_FILE = 'config/alternate-contacts.yaml';

/** Deployment settings that `-c key=value` overrides, so one configuration file can show both topologies. */
const CONTEXT_OVERRIDES = ['topology', 'managementAccountId', 'organizationId', 'enforcerAccountId', 'controlTowerHomeRegion'] as const;

export interface LoadedDeployment {
  readonly config: EnforcerConfig;
  readonly deployment: Deployment;
}

/**
 * The validated configuration (`-c config=path`, default config/alternate-contacts.yaml) with the context's
 * deployment overrides applied and validated again. Throws a ConfigError naming every problem.
 */
export function loadDeployment(scope: Construct): LoadedDeployment {
  const file = String(scope.node.tryGetContext('config') ?? DEFAULT_CONFIG_FILE);
  const fromFile = loadConfig(file);
  const overrides = Object.fromEntries(
    CONTEXT_OVERRIDES.flatMap((key) => {
      const value: unknown = scope.node.tryGetContext(key);
      return value === undefined ? [] : [[key, String(value)]];
    }),
  );
  const source = Object.keys(overrides).length > 0 ? `${file} (with context ${Object.keys(overrides).join(', ')})` : file;
  const config = parseConfig({ ...fromFile, deployment: { ...requireDeployment(fromFile, file), ...overrides } }, source);
  return { config, deployment: requireDeployment(config, source) };
}

function requireDeployment(config: EnforcerConfig, source: string): Deployment {
  if (config.deployment) return config.deployment;
  throw new ConfigError(
    ['deployment: is required to synth or deploy; add a deployment section with topology, managementAccountId and organizationId (see config/alternate-contacts.yaml)'],
    source,
  );
}

export function isDelegated(deployment: Deployment): deployment is DelegatedDeployment {
  return deployment.topology === 'delegated' && deployment.enforcerAccountId !== undefined;
}
