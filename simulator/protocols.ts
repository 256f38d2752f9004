import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Protocol, SimError } from './service.ts';

/**
 * The four wire protocols the SDK v3 clients speak, reduced to what the simulated operations need.
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
  restXml: 'application/xml',
};

/**
 * A restXml (S3) answer: headers, and a body that is either the object's bytes or an XML document. The operation
 * is known by method, path and headers, as S3 itself tells them apart (the SDK's `x-id` query is a hint S3 ignores).
 * https://smithy.io/2.0/aws/protocols/aws-restxml-protocol.html
 */
export interface RestXmlOutput {
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly contentType?: string;
}

/** S3 request members: the bucket and key from a path-style URL, the headers, and the body. */
function readRestXml(request: IncomingMessage, body: string): Operation {
  const url = new URL(request.url ?? '/', 'http://simulator');
  const [, bucket = '', ...key] = url.pathname.split('/');
  const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
  const input = { Bucket: decodeURIComponent(bucket), Key: key.map(decodeURIComponent).join('/'), Body: body, headers };
  const copy = request.headers['x-amz-copy-source'] !== undefined;
  const op = request.method === 'PUT' ? (copy ? 'CopyObject' : 'PutObject') : request.method === 'GET' || request.method === 'HEAD' ? `${request.method === 'GET' ? 'Get' : 'Head'}Object` : `${request.method}`;
  return { op, input };
}

/** An XML document for a restXml output: `<Root>members</Root>`. */
export function xmlDocument(root: string, members: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}>${toXml(members)}</${root}>`;
}

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
    case 'restXml':
      return readRestXml(request, body);
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
  if (protocol === 'restXml') {
    const { headers: members = {}, body = '', contentType = CONTENT_TYPE.restXml } = output as RestXmlOutput;
    response.writeHead(200, { 'content-type': contentType, 'x-amz-request-id': requestId, ...members });
    return void response.end(body);
  }
  if (protocol !== 'awsQuery') return send(response, 200, protocol, JSON.stringify(output), headers);
  const xml = `<${op}Response><${op}Result>${toXml(output)}</${op}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${op}Response>`;
  send(response, 200, protocol, xml, headers);
}

export function writeError(protocol: Protocol, response: ServerResponse, error: SimError, requestId: string): void {
  const headers = { 'x-amzn-requestid': requestId, 'x-amzn-errortype': error.code };
  if (protocol === 'restXml') {
    const xml = xmlDocument('Error', { Code: error.code, Message: error.message, RequestId: requestId, ...error.members });
    return send(response, error.status, protocol, xml, { 'x-amz-request-id': requestId });
  }
  if (protocol === 'awsQuery') {
    const type = error.status >= 500 ? 'Receiver' : 'Sender';
    const xml = `<ErrorResponse><Error><Type>${type}</Type><Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
    return send(response, error.status, protocol, xml, headers);
  }
  // Services disagree on the message member's case (Organizations: Message, Account: message); send both.
  const body = { __type: error.code, message: error.message, Message: error.message, ...error.members };
  send(response, error.status, protocol, JSON.stringify(body), headers);
}
