import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadState, saveState } from '../../simulator/index.ts';
import { account, CONTACT, get, MANAGEMENT, MEMBER, put, start, stopSimulator } from './fixture.ts';

afterEach(stopSimulator);

describe('state files', () => {
  it('keeps a run\'s writes through save and load', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'simulator-')), 'state.json');
    const first = await start();
    await account(MANAGEMENT).send(put(MEMBER));
    saveState(file, first.state);
    await first.close();

    await start({ state: loadState(file) });
    const { AlternateContact } = await account(MANAGEMENT).send(get(MEMBER));

    expect(AlternateContact).toMatchObject(CONTACT);
  });
});
