import { organizationsAccountJoined } from './account-joined.ts';
import { organizationsMoveAccount } from './account-moved.ts';
import { accountDeleteAlternateContact, accountPutAlternateContact } from './contact-changed.ts';
import { controlTowerCreateManagedAccount } from './control-tower.ts';
import { deployConfigurationChanged } from './deploy.ts';
import type { EventParser } from './envelope.ts';
import { organizationsCreateAccountResult } from './organizations.ts';
import { schedulerScheduledEvent } from './scheduler.ts';
import { organizationsTagResource, organizationsUntagResource } from './tags.ts';

/** Every event the enforcer reacts to. A new source is one module exporting an EventParser, listed here. */
export const EVENT_PARSERS: readonly EventParser[] = [
  controlTowerCreateManagedAccount,
  organizationsCreateAccountResult,
  organizationsAccountJoined,
  organizationsMoveAccount,
  accountPutAlternateContact,
  accountDeleteAlternateContact,
  schedulerScheduledEvent,
  deployConfigurationChanged,
  organizationsTagResource,
  organizationsUntagResource,
];

export type { EventParser } from './envelope.ts';
