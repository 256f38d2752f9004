import type { IForbiddenRuleType } from 'dependency-cruiser';

/**
 * The architecture, as rules dependency-cruiser checks on every `npm test` (test/architecture.test.ts). Paths are
 * relative to the repository root; `#shared/x` imports resolve to tasks/shared/x.ts through package.json "imports".
 * https://github.com/sverweij/dependency-cruiser/blob/main/doc/rules-reference.md
 */

/** Everything a source file may live in besides tasks/: what the product's layers must never reach into. */
const OUTSIDE_THE_PRODUCT = '^(local-run|simulator|bench|test)/';
/** A task handler: one Lambda per file, directly under tasks/. */
const TASK_HANDLER = '^tasks/[^/]+[.]ts$';

/** A group of tasks/shared/: of tasks/, it imports only itself and the groups it rests on. */
function layer(name: string, comment: string, group: string, restsOn: readonly string[]): IForbiddenRuleType {
  return {
    name,
    comment,
    severity: 'error',
    from: { path: `^tasks/shared/${group}/` },
    to: { path: '^tasks/', pathNot: `^tasks/shared/(${[...restsOn, group].join('|')})/` },
  };
}

export const ARCHITECTURE_RULES: IForbiddenRuleType[] = [
  {
    name: 'no-cycles',
    comment: 'A cycle makes load order matter and a module impossible to read on its own.',
    severity: 'error',
    from: {},
    to: { circular: true },
  },
  layer('rules-are-the-bottom-layer', 'tasks/shared/rules/ holds pure rules: it imports nothing else of tasks/.', 'rules', []),
  layer('events-import-only-rules', 'Event parsers rest on the rules alone.', 'events', ['rules']),
  layer('report-imports-only-rules', 'Report rendering rests on the rules alone.', 'report', ['rules']),
  layer('aws-imports-rules-and-report', 'The AWS adapters rest on the rules and the report rendering; nothing below imports them.', 'aws', ['rules', 'report']),
  {
    name: 'handlers-import-only-shared',
    comment: 'A task handler builds on tasks/shared/, never on another handler.',
    severity: 'error',
    from: { path: TASK_HANDLER },
    to: { path: '^tasks/', pathNot: '^tasks/shared/' },
  },
  {
    name: 'tasks-stay-in-the-product',
    comment: 'The Lambda code ships alone: it never imports infra, the local tools or the tests.',
    severity: 'error',
    from: { path: '^tasks/' },
    to: { path: ['^(infra|preflight)/', OUTSIDE_THE_PRODUCT] },
  },
  {
    name: 'infra-builds-from-shared-only',
    comment: 'The CDK app shares names and constants with tasks/shared/, never a handler, the local tools or the tests.',
    severity: 'error',
    from: { path: '^infra/' },
    to: { path: ['^preflight/', OUTSIDE_THE_PRODUCT, TASK_HANDLER] },
  },
  {
    name: 'preflight-stays-an-aws-tool',
    comment: 'The preflight runs against real AWS; the simulator target is handed in by local-run/preflight.ts.',
    severity: 'error',
    from: { path: '^preflight/' },
    to: { path: OUTSIDE_THE_PRODUCT },
  },
  {
    name: 'product-never-imports-the-simulator',
    comment: 'What deploys and what the operator runs never depend on the simulated organization.',
    severity: 'error',
    from: { path: '^(tasks|infra|preflight|statemachine)/' },
    to: { path: '^simulator/' },
  },
  {
    name: 'simulator-holds-its-own-facts',
    comment: "The simulator is a second opinion: it states AWS's documented rules itself, and imports none of the product's.",
    severity: 'error',
    from: { path: '^simulator/' },
    to: { path: '^(tasks|infra|preflight|local-run|bench)/' },
  },
  {
    name: 'only-tests-import-tests',
    comment: 'Test helpers and fixtures never become part of what ships or runs.',
    severity: 'error',
    from: { pathNot: '^test/' },
    to: { path: '^test/' },
  },
];
