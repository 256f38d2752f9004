import { CfnOutput } from 'aws-cdk-lib';
import { CfnPolicy } from 'aws-cdk-lib/aws-organizations';
import { Construct } from 'constructs';
import type { EnforcerConfig } from '#shared/rules/config';
import { type Guardrail, guardrailDocument, lockedTypes } from '#shared/rules/guardrail';
import { NAMES } from '../names.ts';

export interface ContactGuardrailProps {
  readonly config: EnforcerConfig;
  readonly guardrail: Guardrail;
  /** The enforcer's roles that write contacts: the only principals, with the exempt ones, the policy lets through. */
  readonly writerRoleArns: readonly string[];
}

/**
 * The preventive control: a service control policy, attached to the configured OUs or root, that denies
 * PutAlternateContact and DeleteAlternateContact on the locked types to everyone but the enforcer's write roles and
 * the exempt principals. It deploys in the management account, where Organizations policies are managed, and binds
 * member accounts only: the management account is never restricted by an SCP. An SCP binds the callers below it, so
 * a delegated administrator inside a target is bound in organization context too: hence the writers' exemption.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
 * https://docs.aws.amazon.com/accounts/latest/reference/using-orgs-example-scps.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-organizations-policy.html
 */
export class ContactGuardrail extends Construct {
  public readonly policy: CfnPolicy;

  constructor(scope: Construct, id: string, props: ContactGuardrailProps) {
    super(scope, id);
    const { config, guardrail, writerRoleArns } = props;
    const types = lockedTypes(config);
    this.policy = new CfnPolicy(this, 'Policy', {
      name: NAMES.guardrailPolicy,
      type: 'SERVICE_CONTROL_POLICY',
      description: `Alternate Contacts Enforcer: only the enforcer and break-glass principals may change ${types.join(', ')} alternate contacts`,
      content: guardrailDocument(types, writerRoleArns, guardrail.exemptPrincipalArns),
      targetIds: [...guardrail.targets],
    });
    new CfnOutput(this, 'PolicyId', {
      description: `The contact guardrail SCP; in an emergency, detach it: aws organizations detach-policy --policy-id <this id> --target-id ${guardrail.targets[0]}`,
      value: this.policy.attrId,
    });
  }
}
