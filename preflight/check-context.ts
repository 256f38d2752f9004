import type { EnforcerConfig } from '#shared/rules/config';
import type { OrganizationFacts } from './facts.ts';

/** What every check knows: the configuration, its topology, and the organization's facts. */
export interface CheckContext {
  readonly config: EnforcerConfig;
  readonly configFile: string;
  readonly delegated: boolean;
  /** Where the enforcer runs: the delegated administrator, or the management account. */
  readonly enforcerAccountId: string | undefined;
  readonly facts: OrganizationFacts;
}
