import { afterEach, describe, expect, it } from 'vitest';
import { account, MANAGEMENT, MEMBER, organization, put, start, stopSimulator } from './fixture.ts';

afterEach(stopSimulator);

describe('the Slack incoming webhook', () => {
  it('records a Slack post', async () => {
    const { state, url } = await start();

    const response = await fetch(`${url}/slack/services/T0/B0/x`, { method: 'POST', body: JSON.stringify({ text: 'report' }) });

    expect({ status: response.status, posts: state.slackPosts.map((p) => p.body) }).toEqual({ status: 200, posts: [{ text: 'report' }] });
  });

  it('answers 500 to Slack posts during an outage and records nothing', async () => {
    const { state, url } = await start();
    state.outages.slack = true;

    const response = await fetch(`${url}/slack/services/T0/B0/x`, { method: 'POST', body: JSON.stringify({ text: 'report' }) });

    expect({ status: response.status, posts: state.slackPosts }).toEqual({ status: 500, posts: [] });
  });
});

describe('the state the simulator serves', () => {
  it('never writes to the state object it was given', async () => {
    const given = organization();
    await start({ state: given });

    await account(MANAGEMENT).send(put(MEMBER));

    expect(given).toEqual(organization());
  });
});
