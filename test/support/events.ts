import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The project's sample events (events/README.md): what users replay, and what the tests start runs with. */
export const SAMPLE_EVENTS_DIR = join(import.meta.dirname, '../../events');
/** Test-only variants that no user replays, such as the FAILED account creations. */
const FIXTURE_EVENTS_DIR = join(import.meta.dirname, '../fixtures/events');

/** A sample event from events/, parsed afresh so a test may change it. */
export const sampleEvent = <T = Record<string, any>>(file: string): T => JSON.parse(readFileSync(join(SAMPLE_EVENTS_DIR, file), 'utf8')) as T;

/** A test-only event from test/fixtures/events/. */
export const fixtureEvent = <T = Record<string, any>>(file: string): T => JSON.parse(readFileSync(join(FIXTURE_EVENTS_DIR, file), 'utf8')) as T;
