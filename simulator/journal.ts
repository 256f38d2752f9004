import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { loadState, saveState, type SimAccount, type SimState } from './state.ts';

/**
 * The simulated organization on disk: a snapshot, plus a journal line for every contact write since, appended before
 * the write is answered. A run that is killed leaves what AWS would: every write that landed, and no other.
 */
export function savedOrganization(file: string) {
  const journal = `${file}.journal`;
  return {
    /** The snapshot with every journalled write applied, or undefined when nothing was saved yet. */
    load(): SimState | undefined {
      if (!existsSync(file)) return undefined;
      const state = loadState(file);
      if (!existsSync(journal)) return state;
      const byId = new Map(state.accounts.map((account) => [account.id, account]));
      for (const line of readFileSync(journal, 'utf8').split('\n').filter(Boolean)) {
        const { id, contacts } = JSON.parse(line) as Pick<SimAccount, 'id' | 'contacts'>;
        const account = byId.get(id);
        if (account) account.contacts = contacts;
      }
      return state;
    },
    /** Journals the account's contacts as they are now, right after a write. */
    recordWrite(account: SimAccount): void {
      appendFileSync(journal, `${JSON.stringify({ id: account.id, contacts: account.contacts })}\n`);
    },
    /** A new snapshot of the whole organization, and an empty journal. */
    save(state: SimState): void {
      saveState(file, state);
      rmSync(journal, { force: true });
    },
  };
}
