import { type CfnElement, Names, type Stack } from 'aws-cdk-lib';
import { Construct, type IConstruct } from 'constructs';

/**
 * Logical ids that survive a move of the construct tree.
 *
 * CloudFormation identifies a resource by its logical id, which the CDK derives from the construct path. A resource
 * whose logical id changes is replaced: created anew under the new id, the old one deleted. For a table, a bucket or a
 * key that loses the data; for a named role, rule or secret the deploy fails, because the new one's name is taken.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resources-section-structure.html
 *
 * The enforcer was one construct; it is now composed of constructs by concern. Rather than override the logical id of
 * each resource that moved (every table, role, policy, function and rule, including the ones the CDK adds later, such
 * as a role's default policy), a construct is marked here, and the stack allocates the ids of everything below it as
 * the path before the move would have: EnforcerStack overrides Stack.allocateLogicalId, the CDK's documented way to
 * change the naming scheme. Two constructs that would then collide fail the synth: a template holds each id once.
 *
 * Names the CDK derives from a construct's path by other means follow the new path: the release-claim function's
 * permission for its rule (a new one is created before the old is deleted) and the Sids of the dead-letter queue's
 * policy (updated in place). Neither holds data or a name.
 */

/** Constructs that group by concern without adding their id to the logical ids below them. */
const TRANSPARENT = new WeakSet<IConstruct>();
/** Constructs that moved into a new scope and keep the ids they had in the scope they were created in before. */
const FORMER_SCOPE = new WeakMap<IConstruct, IConstruct>();

/** Everything below `concern` keeps the logical id it had when created directly in the concern's parent. */
export function transparentToLogicalIds(concern: IConstruct): void {
  TRANSPARENT.add(concern);
}

/** `construct`, and everything below it, keeps the logical ids it had as a child of `formerScope`, one of its ancestors. */
export function keepLogicalIdsFrom(construct: IConstruct, formerScope: IConstruct): void {
  FORMER_SCOPE.set(construct, formerScope);
}

/**
 * The logical id of `element` in `stack`, with the moves above applied; undefined when none applies, so the stack's
 * own naming holds.
 */
export function keptLogicalId(element: CfnElement, stack: Stack): string | undefined {
  const scopes = element.node.scopes.slice(element.node.scopes.indexOf(stack) + 1);
  if (!scopes.some((scope) => TRANSPARENT.has(scope) || FORMER_SCOPE.has(scope))) return undefined;
  return uniqueIdOf(pathBelow(element, stack));
}

/** The ids that make up a construct's logical id: its path below the stack, as it was before the moves. */
function pathBelow(scope: IConstruct, stack: Stack): string[] {
  if (scope === stack) return [];
  const above = pathBelow(FORMER_SCOPE.get(scope) ?? (scope.node.scope as IConstruct), stack);
  return TRANSPARENT.has(scope) ? above : [...above, scope.node.id];
}

const UNIQUE_IDS = new Map<string, string>();

/**
 * The CDK's path-based unique id for a path, the one a stack gives an element there, through its public
 * Names.uniqueId: a detached tree with exactly that path.
 */
function uniqueIdOf(path: readonly string[]): string {
  const key = path.join('/');
  let id = UNIQUE_IDS.get(key);
  if (id === undefined) {
    let scope = new Construct(undefined as unknown as Construct, '');
    for (const component of path) scope = new Construct(scope, component);
    id = Names.uniqueId(scope);
    UNIQUE_IDS.set(key, id);
  }
  return id;
}
