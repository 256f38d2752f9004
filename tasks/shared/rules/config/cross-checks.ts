import { CONTACT_TYPES, type ContactType } from '../contacts.ts';
import { type GuardedConfig, lockedTypes, SCP_MAX_CHARACTERS, worstCaseGuardrailSize } from '../guardrail.ts';
import { pathText } from '../input-shape.ts';
import { type ContactLayer, conflictLine, FIELD_NAMES, layerConflicts } from '../layer-conflicts.ts';
import type { ContactOverride, Override } from './contact-schema.ts';
import { splitTagPair } from './tags.ts';

/**
 * The rules that span several parts of the file, which the schema checks after each part's own shape: a problem is
 * a path into the file and the rule it breaks.
 */
export interface ConfigProblem {
  readonly path: (string | number)[];
  readonly message: string;
}

type Overrides = Record<string, Override>;
interface LayeredConfig {
  readonly contacts: Partial<Record<ContactType, ContactLayer['entry']>>;
  readonly overrides: { readonly organizationalUnits: Overrides; readonly tags?: Overrides; readonly accounts: Overrides };
}

/** What the cross-field rules read of a configuration that passed each part's own shape. */
export interface CrossCheckedConfig extends LayeredConfig {
  readonly guardrail?: GuardedConfig['guardrail'];
  readonly mode: 'enforce' | 'audit';
  readonly triggers: { readonly deploy: boolean; readonly firstDeploy: 'audit' | 'enforce' };
  readonly deployment?: { readonly topology: 'single' | 'delegated'; readonly managementAccountId: string; readonly enforcerAccountId?: string | undefined } | undefined;
}

/** Every cross-field problem of the configuration. */
export function crossFieldProblems(config: CrossCheckedConfig): ConfigProblem[] {
  return [...loadTimeConflicts(config), ...tagOverrideClashes(config.overrides.tags ?? {}), ...firstDeployProblems(config), ...topologyProblems(config), ...guardrailProblems(config)];
}

function firstDeployProblems(config: CrossCheckedConfig): ConfigProblem[] {
  if (config.triggers.firstDeploy !== 'enforce') return [];
  const path = ['triggers', 'firstDeploy'];
  return [
    ...(config.triggers.deploy ? [] : [{ path, message: 'enforce applies only with triggers.deploy: true, which starts the run it governs' }]),
    ...(config.mode === 'audit' ? [{ path, message: 'enforce cannot write in mode: audit, where every run is a dry run; set mode: enforce, or leave firstDeploy out' }] : []),
  ];
}

function topologyProblems({ deployment }: CrossCheckedConfig): ConfigProblem[] {
  const path = ['deployment', 'enforcerAccountId'];
  if (deployment?.topology === 'delegated') {
    if (!deployment.enforcerAccountId) return [{ path, message: 'is required for the delegated topology' }];
    if (deployment.enforcerAccountId === deployment.managementAccountId) return [{ path, message: 'must differ from managementAccountId; use topology single instead' }];
  }
  if (deployment?.topology === 'single' && deployment.enforcerAccountId) return [{ path, message: 'applies to the delegated topology only' }];
  return [];
}

/**
 * The guardrail locks only managed types (an unmanaged one is nobody's to lock), and its document fits the SCP size
 * limit with the longest writer role ARNs there can be.
 */
function guardrailProblems(config: GuardedConfig): ConfigProblem[] {
  const { guardrail } = config;
  if (!guardrail) return [];
  const problems = (guardrail.types ?? []).flatMap((type, index) =>
    config.contacts[type] ? [] : [{ path: ['guardrail', 'types', index], message: `${type} is not managed: add contacts.${type} first, or leave it out` }],
  );
  const size = worstCaseGuardrailSize(lockedTypes(config), guardrail.exemptPrincipalArns);
  if (size > SCP_MAX_CHARACTERS) {
    problems.push({ path: ['guardrail', 'exemptPrincipalArns'], message: `make the policy ${size} characters, over the SCP limit of ${SCP_MAX_CHARACTERS}; exempt fewer principals, or use one wildcard pattern for several` });
  }
  return problems;
}

/**
 * The layer conflicts the file alone decides: each override over the default (its accounts may sit where no other
 * layer applies: an OU's next account, an account moved to the root), and each two tag overrides of different keys
 * over the default, in both orders (one account may carry both tags). An OU below another OU, and an account below
 * an OU or carrying a tag, are the organization's to decide: the run and preflight ask the same rule then.
 */
function loadTimeConflicts(config: LayeredConfig): ConfigProblem[] {
  const problems = new Map<string, { path: string[]; message: string }>();
  const add = (path: readonly string[], message: string) => problems.set(conflictLine({ path, message }), { path: [...path], message });
  const layerOf = (kind: string, id: string, type: ContactType, entry: ContactOverride): ContactLayer => ({ path: ['overrides', kind, id, type], entry });
  for (const kind of ['organizationalUnits', 'tags', 'accounts'] as const) {
    for (const [id, override] of Object.entries(config.overrides[kind] ?? {})) {
      for (const [type, entry] of Object.entries(override) as [ContactType, ContactOverride][]) {
        const base = config.contacts[type];
        if (!base) add(['overrides', kind, id, type], `overrides a type that contacts does not manage; add contacts.${type} first`);
        else for (const conflict of layerConflicts([{ path: ['contacts', type], entry: base }, layerOf(kind, id, type, entry)])) add(conflict.path, conflict.message);
      }
    }
  }
  const tags = Object.entries(config.overrides.tags ?? {});
  for (const [pair, override] of tags) {
    for (const [other, otherOverride] of tags) {
      if (splitTagPair(pair)[0] === splitTagPair(other)[0]) continue;
      for (const type of CONTACT_TYPES) {
        const base = config.contacts[type];
        const [lower, upper] = [override[type], otherOverride[type]];
        if (!base || !lower || !upper) continue;
        const layers = [{ path: ['contacts', type], entry: base }, layerOf('tags', pair, type, lower), layerOf('tags', other, type, upper)];
        for (const conflict of layerConflicts(layers)) {
          if (!problems.has(conflictLine(conflict))) add(conflict.path, `${conflict.message}; an account may carry both ${pair} and ${other}`);
        }
      }
    }
  }
  return [...problems.values()];
}

/**
 * Two tag overrides with different keys may both apply to one account; when they set the same field (or policy) of
 * the same type, the result would depend on their order, so the configuration is refused. Two values of one key
 * never meet on one account (a key holds one value), so they may set the same fields.
 */
function tagOverrideClashes(overrides: Overrides): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const pairs = Object.keys(overrides);
  pairs.forEach((pair, index) => {
    for (const earlier of pairs.slice(0, index)) {
      if (splitTagPair(earlier)[0] === splitTagPair(pair)[0]) continue;
      for (const type of CONTACT_TYPES) {
        const clash = [...FIELD_NAMES, 'policy' as const].find((field) => overrides[pair]?.[type]?.[field] !== undefined && overrides[earlier]?.[type]?.[field] !== undefined);
        if (clash) {
          problems.push({
            path: ['overrides', 'tags', pair, type, clash],
            message: `is also set by ${pathText(['overrides', 'tags', earlier, type, clash])}; an account with both tags would get one by chance, so set it in one tag override only`,
          });
        }
      }
    }
  });
  return problems;
}
