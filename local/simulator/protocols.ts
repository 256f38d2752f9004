import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Protocol, SimError } from './service.ts';

/**
 * The three wire protocols the SDK v3 clients speak, reduced to what the simulated operations need.
 * https://smithy.io/2.0/aws/protocols/index.html
 */

export interface Operation {
  readonly op: string;
  readonly input: Record<string, unknown>;
}

const CONTENT_TYPE: Record<Protocol, string> = {
  awsJson1_1: 'application/x-amz-json-1.1',
  restJson1: 'application/json',
  awsQuery: 'text/xml',
};

function parseJsonObject(body: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body || '{}');
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below, as AWS does
  }
  throw new SimError('SerializationException', 'The request body is not a JSON object.');
}

/** The operation name and input members: from X-Amz-Target (awsJson), the path (restJson) or Action (awsQuery). */
export function readOperation(protocol: Protocol, request: IncomingMessage, body: string): Operation {
  switch (protocol) {
    case 'awsJson1_1':
      return { op: String(request.headers['x-amz-target'] ?? '').split('.').at(-1) ?? '', input: parseJsonObject(body) };
    case 'restJson1': {
      const path = new URL(request.url ?? '/', 'http://simulator').pathname.slice(1);
      return { op: path.charAt(0).toUpperCase() + path.slice(1), input: parseJsonObject(body) };
    }
    case 'awsQuery': {
      const { Action, Version: _version, ...input } = Object.fromEntries(new URLSearchParams(body));
      return { op: Action ?? '', input };
    }
  }
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** awsQuery output: members as elements, list items as <member>. */
function toXml(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((item) => `<member>${toXml(item)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .map(([name, member]) => `<${name}>${toXml(member)}</${name}>`)
      .join('');
  }
  return escapeXml(String(value));
}

function send(response: ServerResponse, status: number, protocol: Protocol, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': CONTENT_TYPE[protocol], ...headers });
  response.end(body);
}

export function writeOutput(protocol: Protocol, response: ServerResponse, op: string, output: unknown, requestId: string): void {
  const headers = { 'x-amzn-requestid': requestId };
  if (protocol !== 'awsQuery') return send(response, 200, protocol, JSON.stringify(output), headers);
  const xml = `<${op}Response><${op}Result>${toXml(output)}</${op}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${op}Response>`;
  send(response, 200, protocol, xml, headers);
}

export function writeError(protocol: Protocol, response: ServerResponse, error: SimError, requestId: string): void {
  const headers = { 'x-amzn-requestid': requestId, 'x-amzn-errortype': error.code };
  if (protocol === 'awsQuery') {
    const type = error.status >= 500 ? 'Receiver' : 'Sender';
    const xml = `<ErrorResponse><Error><Type>${type}</Type><Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
    return send(response, error.status, protocol, xml, headers);
  }
  // Services disagree on the message member's case (Organizations: Message, Account: message); send both.
  const body = { __type: error.code, message: error.message, Message: error.message, ...error.members };
  send(response, error.status, protocol, JSON.stringify(body), headers);
}
