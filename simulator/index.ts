import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sleep } from './clock.ts';
import { accountService } from './account.ts';
import { cloudFormationService } from './cloudformation.ts';
import { cloudTrailService } from './cloudtrail-trails.ts';
import { accountOfAccessKey, temporaryCredentialsFor } from './credentials.ts';
import { organizationsService } from './organizations.ts';
import { readOperation, writeError, writeOutput } from './protocols.ts';
import { secretsManagerService } from './secrets-manager.ts';
import { type Caller, type Service, type Sim, SimError } from './service.ts';
import { s3Service } from './s3.ts';
import { snsService } from './sns.ts';
import { type SimStats, StatsRecorder } from './stats.ts';
import { parseState, type SimAccount, type SimState } from './state.ts';
import { stsService } from './sts.ts';
import { TokenBucket } from './token-bucket.ts';

/**
 * A simulated AWS organization behind one local HTTP server. It speaks the real wire protocols, so the unmodified
 * SDK v3 clients work against it with `endpoint` (or AWS_ENDPOINT_URL) set to its URL and credentialsFor(accountId).
 * The service is told apart by the SigV4 credential scope, as AWS's own front ends do; signatures are not checked.
 */

export { applyEvent } from './cloudtrail-events.ts';
export { credentialsFor } from './credentials.ts';
export type { SimStats } from './stats.ts';
export { SimError } from './service.ts';
export { loadState, ouPaths, saveState, SIMULATOR_URL_PLACEHOLDER, type SimAccount, type SimState, type SimTrail } from './state.ts';
export { trailArn } from './cloudtrail-trails.ts';
export { principalArnOf } from './service-control-policies.ts';
export { savedOrganization } from './journal.ts';

/** The signing names in the credential scope, as the SDK clients send them. */
export type ServiceName = 'account' | 'organizations' | 'sts' | 'sns' | 'secretsmanager' | 'cloudformation' | 'cloudtrail' | 's3';

export interface SimulatorOptions {
  /** The organization to serve; validated and copied, so the caller's object is never written to. */
  readonly state: SimState;
  /** Multiplies every quota (rate and burst); 0.1 makes a throttling storm. @default 1 */
  readonly quotaScale?: number;
  /** Delay before each AWS answer, in ms of simulated time; one number for all services or one per service. @default 0 */
  readonly latencyMs?: number | Partial<Record<ServiceName, number>>;
  /** @default 0 (any free port) */
  readonly port?: number;
  /**
   * Milliseconds since the epoch; tests pass a fake one to control token buckets and readyAt without waiting.
   * @default Date.now, which a local run makes simulated time (simulator/clock.ts)
   */
  readonly clock?: () => number;
  /** Called right after a contact write lands, before it is answered: `npm start` journals it (journal.ts). */
  readonly onContactWrite?: (account: SimAccount) => void;
}

/** One Account API (or other) request as it arrives: the IAM action, the caller, the account acted on. */
export interface SimRequest {
  readonly operation: string;
  readonly callerAccountId: string;
  readonly target?: string;
}

/**
 * What goes wrong with a request, at the wire: an AWS error answered instead of the call (`before`) or after it was
 * carried out (`after`: a write landed, the caller hears an error), or the call carried out and its response lost
 * (the connection drops), or the answer delayed by `delayMs` of simulated time (a slow call).
 */
export type SimFault = { readonly error: SimError; readonly when: 'before' | 'after' } | 'lose-response' | { readonly delayMs: number };

export interface Simulator {
  /** e.g. http://127.0.0.1:40123: the `endpoint` for every SDK client; Slack webhooks live under `${url}/slack/`. */
  readonly url: string;
  /** The live state: the server's writes show here, and a test may change it between calls. */
  readonly state: SimState;
  /** The simulator's clock: readyAt, token buckets and credentials' expiry are read against it. */
  simulatedNow(): number;
  stats(): SimStats;
  /** The CloudTrail events of every contact write so far (aws.account PutAlternateContact/DeleteAlternateContact). */
  events(): object[];
  /** Temporary credentials of a session of the role, as the role's Lambda function gets them from AWS. */
  roleSession(roleArn: string, sessionName: string): { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  resetStats(): void;
  /** Every request from now on passes `faults` first (after the quota); undefined lets every request through again. */
  injectFaults(faults: ((request: SimRequest) => SimFault | undefined) | undefined): void;
  close(): Promise<void>;
}

// Credential=AKID/20260101/us-east-1/sts/aws4_request
const CREDENTIAL_SCOPE = /Credential=([^/,\s]+)\/\d{8}\/([\w-]+)\/([\w-]+)\/aws4_request/;
const SLACK_PATH = '/slack/';
const CONTACT_WRITES = new Set(['account:PutAlternateContact', 'account:DeleteAlternateContact']);

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const { quotaScale = 1, latencyMs = 0, port = 0, clock = () => Date.now() } = options;
  const state = parseState(options.state);
  const recorder = new StatsRecorder();
  const buckets = new Map<string, TokenBucket>();
  /** Assumed-role sessions: access key id → the session's ARN. In memory only: sessions end with the server. */
  const sessions = new Map<string, string>();
  /** The CloudTrail events of contact writes, oldest first; in memory only. */
  const events: object[] = [];
  let url = '';
  let faultOf: ((request: SimRequest) => SimFault | undefined) | undefined;

  // An index rebuilt whenever the account list changes length, so lookups stay O(1) at 10,000 accounts.
  let indexed: { list: SimAccount[]; length: number; byId: Map<string, SimAccount> } | undefined;
  const account = (accountId: string) => {
    if (indexed?.list !== state.accounts || indexed.length !== state.accounts.length) {
      indexed = { list: state.accounts, length: state.accounts.length, byId: new Map(state.accounts.map((a) => [a.id, a])) };
    }
    return indexed.byId.get(accountId);
  };

  const sim: Sim = {
    state,
    url: () => url,
    now: clock,
    account,
    stateOf: ({ status, activatesAt }) => (status === 'PENDING_ACTIVATION' && activatesAt !== undefined && clock() >= Date.parse(activatesAt) ? 'ACTIVE' : status),
    isReady: ({ readyAt }) => readyAt === undefined || clock() >= Date.parse(readyAt),
    recordEvent: (event) => events.push(event),
    startSession: (accountId, arn) => {
      const credentials = temporaryCredentialsFor(accountId, sessions.size + 1);
      sessions.set(credentials.accessKeyId, arn);
      return credentials;
    },
  };

  const services: Record<ServiceName, Service> = {
    account: accountService(sim),
    organizations: organizationsService(sim),
    sts: stsService(sim),
    sns: snsService(sim),
    secretsmanager: secretsManagerService(sim),
    cloudformation: cloudFormationService(sim),
    cloudtrail: cloudTrailService(sim),
    s3: s3Service(sim),
  };

  function callerOf(accessKeyId: string): Caller | undefined {
    const accountId = accountOfAccessKey(accessKeyId);
    if (!accountId || !account(accountId)) return undefined;
    return { accountId, arn: sessions.get(accessKeyId) ?? `arn:aws:iam::${accountId}:user/simulator` };
  }

  function throttles(service: Service, op: string, caller: Caller): boolean {
    const quota = service.quotaOf?.(op);
    if (!quota) return false;
    const key = `${caller.accountId}/${quota.bucket}`;
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(quota.perSecond * quotaScale, Math.max(1, Math.floor(quota.burst * quotaScale)), clock());
      buckets.set(key, bucket);
    }
    return !bucket.take(clock());
  }

  async function serveAws(request: IncomingMessage, response: ServerResponse, body: string): Promise<void> {
    const requestId = randomUUID();
    const [, accessKeyId = '', region = '', signingName = ''] = CREDENTIAL_SCOPE.exec(request.headers.authorization ?? '') ?? [];
    const serviceName = signingName as ServiceName;
    const service = services[serviceName];
    if (!service) {
      return writeError('awsJson1_1', response, new SimError('UnknownServiceException', `No simulated service signs as "${signingName}"`), requestId);
    }
    try {
      const { op, input } = readOperation(service.protocol, request, body);
      const operation = `${serviceName}:${op}`;
      const caller = callerOf(accessKeyId);
      const call = { caller: caller ?? { accountId: '', arn: '' }, region, input };
      const target = caller && service.targetOf?.(op, call);
      recorder.call(operation, caller?.accountId, target);
      if (target && service.isStandalone?.(call)) recorder.standalone(target);
      const latency = typeof latencyMs === 'number' ? latencyMs : (latencyMs[serviceName] ?? 0);
      if (latency > 0) await sleep(latency);
      if (!caller) {
        const code = service.protocol === 'awsQuery' ? 'InvalidClientTokenId' : 'UnrecognizedClientException';
        throw new SimError(code, 'The security token included in the request is invalid.', 403);
      }
      if (throttles(service, op, caller)) {
        recorder.throttled(operation);
        // Organizations answers throttles with 400, the Account API with 429; the SDK retries both by name.
        throw new SimError('TooManyRequestsException', 'Rate exceeded', service.protocol === 'restJson1' ? 429 : 400);
      }
      recorder.served(operation);
      const fault = faultOf?.({ operation, callerAccountId: caller.accountId, target });
      if (typeof fault === 'object' && 'delayMs' in fault) await sleep(fault.delayMs);
      if (typeof fault === 'object' && 'when' in fault && fault.when === 'before') throw fault.error;
      const output = service.handle(op, call);
      recorder.succeeded(operation, `${caller.accountId} ${target ?? ''} ${body}`);
      const written = CONTACT_WRITES.has(operation) && target ? account(target) : undefined;
      if (written) options.onContactWrite?.(written);
      if (fault === 'lose-response') {
        response.destroy();
        return;
      }
      if (typeof fault === 'object' && 'error' in fault) throw fault.error;
      writeOutput(service.protocol, response, op, output, requestId);
    } catch (error) {
      const failure = error instanceof SimError ? error : new SimError('InternalServerException', 'The simulator failed on this request.', 500);
      if (!(error instanceof SimError)) console.error('simulator: unexpected failure', error);
      recorder.error(failure.code);
      writeError(service.protocol, response, failure, requestId);
    }
  }

  /** A Slack incoming webhook: records the JSON payload and answers "ok", or 500 during an outage. */
  function serveSlack(response: ServerResponse, body: string): void {
    recorder.call('slack:PostMessage', undefined, undefined);
    const reply = (status: number, text: string) => {
      if (status !== 200) recorder.error(text);
      response.writeHead(status, { 'content-type': 'text/plain' }).end(text);
    };
    if (state.outages.slack) return reply(500, 'simulated_outage');
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      return reply(400, 'invalid_payload');
    }
    state.slackPosts.push({ body: payload, postedAt: new Date(clock()).toISOString() });
    reply(200, 'ok');
  }

  const server = createServer((request, response) => {
    readBody(request)
      .then((body) => (request.method === 'POST' && request.url?.startsWith(SLACK_PATH) ? serveSlack(response, body) : serveAws(request, response, body)))
      .catch((error: unknown) => {
        console.error('simulator: could not answer a request', error);
        if (!response.headersSent) response.writeHead(500).end();
      });
  });

  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    state,
    simulatedNow: clock,
    stats: () => recorder.snapshot(),
    events: () => [...events],
    roleSession: (roleArn, sessionName) => {
      const [, , , , accountId = '', resource = ''] = roleArn.split(':');
      return sim.startSession(accountId, `arn:aws:sts::${accountId}:assumed-role/${resource.split('/').at(-1)}/${sessionName}`);
    },
    resetStats: () => recorder.reset(),
    injectFaults: (faults) => {
      faultOf = faults;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The SDK keeps connections alive; without this, close() waits for them to time out.
        server.closeAllConnections();
      }),
  };
}
