import { describe, expect, it } from 'vitest';
import { type CrossCheckedConfig, crossFieldProblems } from '#shared/rules/config/cross-checks';

const CONTACT = { name: 'Ops', title: 'Team', email: 'ops@example.com', phone: '+1 555 0100', policy: 'enforce' } as const;
const base: CrossCheckedConfig = {
  mode: 'enforce',
  contacts: { OPERATIONS: CONTACT },
  overrides: { organizationalUnits: {}, accounts: {} },
  triggers: { deploy: true, firstDeploy: 'audit' },
};
const paths = (config: CrossCheckedConfig) => crossFieldProblems(config).map((problem) => problem.path.join('.'));

describe('the rules that span several parts of the configuration', () => {
  it('finds nothing in a configuration whose parts agree', () => {
    expect(crossFieldProblems(base)).toEqual([]);
  });

  it('refuses an enforcing first deploy without the deploy trigger, and in audit mode, once each', () => {
    expect(paths({ ...base, mode: 'audit', triggers: { deploy: false, firstDeploy: 'enforce' } })).toEqual(['triggers.firstDeploy', 'triggers.firstDeploy']);
  });

  it.each<[string, CrossCheckedConfig['deployment'], string]>([
    ['delegated without its enforcer account', { topology: 'delegated', managementAccountId: '111111111111' }, 'is required for the delegated topology'],
    ['delegated to the management account', { topology: 'delegated', managementAccountId: '111111111111', enforcerAccountId: '111111111111' }, 'must differ from managementAccountId; use topology single instead'],
    ['single with an enforcer account', { topology: 'single', managementAccountId: '111111111111', enforcerAccountId: '222222222222' }, 'applies to the delegated topology only'],
  ])('refuses a deployment %s', (_, deployment, message) => {
    expect(crossFieldProblems({ ...base, deployment })).toEqual([{ path: ['deployment', 'enforcerAccountId'], message }]);
  });

  it('refuses an override of a type that contacts does not manage', () => {
    expect(paths({ ...base, overrides: { organizationalUnits: {}, accounts: { '222222222222': { BILLING: { policy: 'ignore' } } } } })).toEqual(['overrides.accounts.222222222222.BILLING']);
  });

  it('refuses a guardrail that locks an unmanaged type', () => {
    expect(paths({ ...base, guardrail: { targets: ['r-ab12'], types: ['BILLING'], exemptPrincipalArns: [] } })).toEqual(['guardrail.types.0']);
  });
});
