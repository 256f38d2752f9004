import type { EnforcerConfig } from '#shared/rules/config';
import { seededRandom } from '../simulator/clock.ts';
import type { AccountStatus, SimState } from '../simulator/state.ts';
import {
  account,
  DAY_MS,
  MANAGEMENT_ACCOUNT_ID,
  organizationShell,
  ouPathBuilder,
  QUARANTINE_OU_ID,
  ROOT_ID,
  SECURITY_ACCOUNT_ID,
  SECURITY_OU_ID,
  type Seed,
  seededContacts,
  withFullAwsAccess,
} from './scenario.ts';

/** Organizations of any size for scale runs (`npm start -- --accounts N`, `npm run bench`), built on the default scenario's shell. */

const TEAMS = ['payments', 'checkout', 'catalog', 'search', 'identity', 'data', 'ml', 'mobile', 'web', 'platform', 'ledger', 'risk'];
const ENVIRONMENTS = ['prod', 'staging', 'dev', 'test', 'sandbox'];

/**
 * n accounts (the management and security accounts among them) for scale runs: ~75% without a SECURITY contact,
 * ~10% outdated, the rest correct; ~1% SUSPENDED and ~0.5% PENDING_CLOSURE; ~1% in the excluded Quarantine OU;
 * about n/50 OUs three levels deep. Deterministic from `seed`; builds 10,000 accounts in well under a second.
 */
export function generatedOrganization(config: EnforcerConfig, n: number, seed: number): SimState {
  const next = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const state = organizationShell(config);

  // Three levels: a tenth of the OUs at the top, three tenths below them, the rest below those.
  const ouCount = Math.max(3, Math.round(n / 50));
  const levels: string[][] = [[], [], []];
  for (let i = 0; i < ouCount; i++) {
    const level = i < Math.ceil(ouCount / 10) ? 0 : i < Math.ceil((ouCount * 4) / 10) ? 1 : 2;
    const id = `ou-ab12-g${i.toString(36).padStart(7, '0')}`;
    const parentId = level === 0 ? ROOT_ID : pick(levels[level - 1]!);
    state.organizationalUnits.push({ id, name: `${pick(TEAMS)}-${level + 1}-${i}`, parentId });
    levels[level]!.push(id);
  }
  const paths = ouPathBuilder(state);
  const generatedOus = levels.flat();

  const securitySeed = (): Seed => {
    const r = next();
    return r < 0.75 ? '-' : r < 0.85 ? 'o' : r < 0.95 ? 'c' : 'v';
  };
  const otherSeed = (): Seed => pick(['-', '-', 'o', 'c', 'c', 'v'] as const);
  const status = (): AccountStatus => {
    const r = next();
    return r < 0.01 ? 'SUSPENDED' : r < 0.015 ? 'PENDING_CLOSURE' : 'ACTIVE';
  };

  const usedIds = new Set([MANAGEMENT_ACCOUNT_ID, SECURITY_ACCOUNT_ID]);
  const newId = () => {
    let id: string;
    do id = String(100_000_000_000 + Math.floor(next() * 899_999_999_999));
    while (usedIds.has(id));
    usedIds.add(id);
    return id;
  };

  for (let index = 0; index < n; index++) {
    const [id, name, parentId] =
      index === 0 ? [MANAGEMENT_ACCOUNT_ID, 'management', ROOT_ID]
      : index === 1 ? [SECURITY_ACCOUNT_ID, 'security', SECURITY_OU_ID]
      : [newId(), `${pick(TEAMS)}-${pick(ENVIRONMENTS)}-${index}`, next() < 0.01 ? QUARANTINE_OU_ID : pick(generatedOus)];
    const created = account(id, name, parentId, new Date(Date.UTC(2018, 0, 1) + Math.floor(next() * 8 * 365) * DAY_MS), index < 2 ? 'ACTIVE' : status());
    created.contacts = seededContacts(config, id, paths(parentId), [securitySeed(), otherSeed(), otherSeed()], index);
    state.accounts.push(created);
  }
  return withFullAwsAccess(state);
}
