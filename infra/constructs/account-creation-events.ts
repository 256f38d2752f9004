/**
 * Kept for alternate-contacts-enforcer.ts until its rules move to EnforcerTriggers; every rule is built from the
 * trigger definitions (trigger-rules.ts).
 */
export { enabledAccountCreationEvents } from './trigger-rules.ts';
