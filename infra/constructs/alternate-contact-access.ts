import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { CONTACT_TYPES, type ContactType } from '#shared/rules/contacts';
import { deletableTypes, type EnforcerConfig } from '#shared/rules/config';

export type AlternateContactAction = 'account:GetAlternateContact' | 'account:PutAlternateContact' | 'account:DeleteAlternateContact';

/** The contact types the configuration manages: the only ones any role may read or write. */
export function managedContactTypes(config: EnforcerConfig): ContactType[] {
  return CONTACT_TYPES.filter((type) => config.contacts[type]);
}

/** The Account API's ARN for an account addressed in standalone context (its own account). */
export const ownAccountArn = (partition: string, account: string): string => `arn:${partition}:account::${account}:account`;

/** The Account API's ARN for every member account of the organization, addressed from the management account. */
export const memberAccountsArn = (partition: string, managementAccountId: string, organizationId: string): string =>
  `arn:${partition}:account::${managementAccountId}:account/${organizationId}/*`;

/**
 * Allows `action` on `resources`, for the managed contact types only. account:AlternateContactTypes is multi-valued,
 * so it takes a set operator: ForAllValues keeps every requested type inside the managed set, and the Null check
 * stops ForAllValues from matching a request that carries no type at all.
 * https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-update-contact-alternate.html#context-keys-AlternateContactTypes
 */
/**
 * The statements a contact-writing role needs: Put for every managed type, and Delete only when some type may be
 * deleted, limited to exactly those types.
 */
export function writeStatements(config: EnforcerConfig, resources: string[]): PolicyStatement[] {
  const deletable = deletableTypes(config);
  return [
    alternateContactStatement('account:PutAlternateContact', resources, managedContactTypes(config)),
    ...(deletable.length > 0 ? [alternateContactStatement('account:DeleteAlternateContact', resources, deletable)] : []),
  ];
}

export function alternateContactStatement(action: AlternateContactAction, resources: string[], types: readonly ContactType[]): PolicyStatement {
  return new PolicyStatement({
    actions: [action],
    resources,
    conditions: {
      'ForAllValues:StringEquals': { 'account:AlternateContactTypes': [...types] },
      Null: { 'account:AlternateContactTypes': 'false' },
    },
  });
}
