import type { Policy } from './contacts.ts';
import { pathText } from './input-shape.ts';

/**
 * The one rule for configuration layers that contradict each other. Load (each override over the default), the run
 * (every layer that applies to one account) and preflight (every account of the real organization) all ask it.
 */

export const FIELD_NAMES = ['name', 'title', 'email', 'phone'] as const;
export type FieldName = (typeof FIELD_NAMES)[number];

/** One layer's entry for one contact type, and where it is in the file (`overrides.accounts.<id>.OPERATIONS`). */
export interface ContactLayer {
  readonly path: readonly string[];
  /** A field is a string or a `{ tag }` reference; either counts as given. */
  readonly entry: { readonly policy?: Policy } & { readonly [field in FieldName]?: unknown };
}

/** `path: rule`, the shape of every configuration problem; the rule names the other paths involved. */
export interface LayerConflict {
  readonly path: readonly string[];
  readonly message: string;
}

export const conflictLine = ({ path, message }: LayerConflict): string => `${pathText(path)}: ${message}`;

const givenFields = (layer: ContactLayer) => FIELD_NAMES.filter((field) => layer.entry[field] !== undefined);

/** The policy the nearest layer that names one sets; the default's, `enforce`, when none does. */
export const resolvedPolicy = (layers: readonly ContactLayer[]): Policy => layers.findLast((layer) => layer.entry.policy)?.entry.policy ?? 'enforce';

/**
 * What the layers of one type resolve to, lowest first (default, OUs from the root down, tags, account), measured by
 * the rules one entry must keep: a contact that resolves to `delete` (or `ignore`) takes no field from any layer
 * above the one that set that policy, since such a field would be dropped without a word; and one that resolves to
 * `enforce` or `fill-missing` needs all four fields from some layer. Fields below the deciding layer are outranked,
 * not dropped: that is what a nearer layer is for.
 */
export function layerConflicts(layers: readonly ContactLayer[]): LayerConflict[] {
  if (layers.length === 0) return [];
  const deciding = layers.findLastIndex((layer) => layer.entry.policy !== undefined);
  const policy = resolvedPolicy(layers);
  const policyPath = [...(layers[Math.max(deciding, 0)]?.path ?? []), 'policy'];
  if (policy === 'delete' || policy === 'ignore') {
    const effect = policy === 'delete' ? 'a deleted contact has no fields' : 'an ignored contact is never written';
    return layers.slice(deciding + 1).flatMap((layer) =>
      givenFields(layer).map((field) => ({
        path: [...layer.path, field],
        message: `is given under policy ${policy} from ${pathText(policyPath)}, so it would be dropped without a word (${effect}); set policy enforce or fill-missing next to it, or remove it`,
      })),
    );
  }
  const missing = FIELD_NAMES.filter((field) => !layers.some((layer) => layer.entry[field] !== undefined));
  if (missing.length === 0) return [];
  const contributions = layers.map((layer) => {
    const sets = [...(layer.entry.policy ? [`policy ${layer.entry.policy}`] : []), ...givenFields(layer)];
    return `${pathText(layer.path)} sets ${sets.join(', ') || 'nothing'}`;
  });
  return [
    {
      path: policyPath,
      message: `is ${policy}, which needs name, title, email and phone, but no layer gives ${missing.join(' or ')} (${contributions.join('; ')}); give ${missing.length === 1 ? 'it' : 'them'} next to the policy`,
    },
  ];
}
