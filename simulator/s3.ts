import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { xmlDocument, type RestXmlOutput } from './protocols.ts';
import { type Call, requiredInput, type Service, type Sim, SimError, unknownOperation } from './service.ts';

/**
 * Amazon S3 (restXml, path-style as the SDK sends it to an IP endpoint): PutObject, CopyObject and GetObject, for
 * the buckets in `state.buckets`, by their owning account only. Objects live in memory: report files are large, and
 * a run's caller copies them out with GetObject. Bodies pass as UTF-8 text, which the report files are.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
 */

interface StoredObject {
  readonly body: string;
  readonly contentType: string;
  readonly etag: string;
  readonly lastModified: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly checksumCrc32: string;
}

const checksumOf = (body: string) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(crc32(Buffer.from(body, 'utf8')));
  return bytes.toString('base64');
};

const headersOf = (call: Call) => call.input['headers'] as Record<string, string>;

export function s3Service(sim: Sim): Service {
  const objects = new Map<string, StoredObject>();

  /** The bucket must exist and belong to the caller; S3 says NoSuchBucket (404) or AccessDenied (403) otherwise. */
  function bucketOf(call: Call, member = 'Bucket'): string {
    const bucket = requiredInput(call, member);
    const owner = sim.state.buckets?.[bucket];
    if (owner === undefined) throw new SimError('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket });
    if (owner !== call.caller.accountId) throw new SimError('AccessDenied', 'Access Denied', 403);
    return bucket;
  }

  function put(call: Call): RestXmlOutput {
    const bucket = bucketOf(call);
    const headers = headersOf(call);
    const body = requiredInput(call, 'Body');
    const checksumCrc32 = checksumOf(body);
    const sent = headers['x-amz-checksum-crc32'];
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
    if (sent !== undefined && sent !== checksumCrc32) throw new SimError('BadDigest', 'The CRC32 you specified did not match the calculated checksum.');
    const metadata = Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith('x-amz-meta-')));
    const etag = `"${createHash('md5').update(body).digest('hex')}"`;
    objects.set(`${bucket}/${requiredInput(call, 'Key')}`, {
      body,
      contentType: headers['content-type'] ?? 'binary/octet-stream',
      etag,
      lastModified: new Date(sim.now()).toUTCString(),
      metadata,
      checksumCrc32,
    });
    return { headers: { etag, 'x-amz-checksum-crc32': checksumCrc32 } };
  }

  function copy(call: Call): RestXmlOutput {
    const bucket = bucketOf(call);
    // x-amz-copy-source: "bucket/key", URL-encoded, optionally with a leading slash.
    const source = decodeURIComponent(headersOf(call)['x-amz-copy-source'] ?? '').replace(/^\//, '');
    const [sourceBucket = '', ...key] = source.split('/');
    bucketOf({ ...call, input: { Bucket: sourceBucket } });
    const found = objects.get(`${sourceBucket}/${key.join('/')}`);
    if (!found) throw new SimError('NoSuchKey', 'The specified key does not exist.', 404, { Key: key.join('/') });
    const copied = { ...found, lastModified: new Date(sim.now()).toUTCString() };
    objects.set(`${bucket}/${requiredInput(call, 'Key')}`, copied);
    return { body: xmlDocument('CopyObjectResult', { ETag: copied.etag, LastModified: new Date(sim.now()).toISOString() }) };
  }

  function get(call: Call): RestXmlOutput {
    const bucket = bucketOf(call);
    const key = requiredInput(call, 'Key');
    const found = objects.get(`${bucket}/${key}`);
    if (!found) throw new SimError('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });
    return {
      body: found.body,
      contentType: found.contentType,
      headers: { etag: found.etag, 'last-modified': found.lastModified, 'x-amz-checksum-crc32': found.checksumCrc32, ...found.metadata },
    };
  }

  return {
    protocol: 'restXml',
    handle: (op, call) => {
      switch (op) {
        case 'PutObject':
          return put(call);
        case 'CopyObject':
          return copy(call);
        case 'GetObject':
          return get(call);
        default:
          throw unknownOperation(op);
      }
    },
  };
}
