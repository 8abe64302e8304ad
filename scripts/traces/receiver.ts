// An OTLP/HTTP trace receiver: enough of a collector to take what our services export
// (POST /v1/traces, protobuf or JSON, gzip or deflate or plain) and hand each span, flattened, to a
// callback. Development tooling and tests only (npm run traces, the e2e tracing suites): it keeps
// nothing and checks no credentials, so it listens on loopback unless told otherwise.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';
import { toReceivedSpans, type OtlpExportRequest, type ReceivedSpan } from './otlp-json.js';
import { decodeTraceRequest } from './otlp-protobuf.js';

export type { ReceivedSpan } from './otlp-json.js';

/** The path OTLP/HTTP exporters post traces to, under OTEL_EXPORTER_OTLP_ENDPOINT. */
export const TRACES_PATH = '/v1/traces';
/** Larger than any batch the SDK sends (512 spans by default); a bigger body is refused with 413. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

export interface TraceReceiverOptions {
  /** The port to listen on; 0 picks a free one. Default 4318, the OTLP/HTTP port. */
  port?: number;
  /** The address to listen on. Default 127.0.0.1. */
  host?: string;
  /** Called with the spans of each accepted export request, in the order they came. */
  onSpans: (spans: ReceivedSpan[]) => void;
  /** Called when a request is refused (bad body, unknown content type), with why. Default: ignored. */
  onRefused?: (reason: string) => void;
}

export interface TraceReceiver {
  /** The base URL to give exporters as OTEL_EXPORTER_OTLP_ENDPOINT, such as http://127.0.0.1:4318. */
  endpoint: string;
  port: number;
  /** How many export requests were accepted. */
  readonly exportCount: number;
  close(): Promise<void>;
}

class RefusedRequest extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new RefusedRequest(413, `the body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const body = Buffer.concat(chunks);
  const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding === 'gzip') return gunzipAsync(body);
  if (encoding === 'deflate') return inflateAsync(body);
  if (encoding === 'identity') return body;
  throw new RefusedRequest(415, `unsupported content-encoding ${encoding} (gzip, deflate or none)`);
}

/** The export request in the body, by its content type; the format the answer is written in. */
function decodeRequest(contentType: string, body: Buffer): { request: OtlpExportRequest; format: 'json' | 'protobuf' } {
  if (contentType === 'application/x-protobuf' || contentType === 'application/protobuf') {
    return { request: decodeTraceRequest(body), format: 'protobuf' };
  }
  if (contentType === 'application/json')
    return { request: JSON.parse(body.toString('utf8')) as OtlpExportRequest, format: 'json' };
  throw new RefusedRequest(
    415,
    `unsupported content-type ${contentType || '(none)'} (application/x-protobuf or application/json)`,
  );
}

/** Answers an accepted export: an empty ExportTraceServiceResponse (no partial success), in the request's format. */
function answerAccepted(response: ServerResponse, format: 'json' | 'protobuf'): void {
  if (format === 'json') {
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  } else {
    // An empty protobuf message is zero bytes.
    response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  }
}

/** Starts a receiver; resolves once it listens. */
export async function startTraceReceiver(options: TraceReceiverOptions): Promise<TraceReceiver> {
  const { port = 4318, host = '127.0.0.1', onSpans, onRefused } = options;
  let exportCount = 0;

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== TRACES_PATH)
      throw new RefusedRequest(404, `only POST ${TRACES_PATH} is served here, not ${request.method} ${path}`);
    if (request.method !== 'POST') throw new RefusedRequest(405, `${TRACES_PATH} takes POST, not ${request.method}`);
    const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const body = await readBody(request);
    let decoded;
    try {
      decoded = decodeRequest(contentType, body);
    } catch (error) {
      if (error instanceof RefusedRequest) throw error;
      throw new RefusedRequest(400, `the body is not an OTLP trace export (${contentType}): ${(error as Error).message}`);
    }
    exportCount += 1;
    onSpans(toReceivedSpans(decoded.request));
    answerAccepted(response, decoded.format);
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const status = error instanceof RefusedRequest ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      onRefused?.(message);
      if (!response.headersSent) response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ code: status, message }));
    });
  });
  // Exporters keep their connection open between batches; closing must not wait for them.
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    endpoint: `http://${urlHost}:${address.port}`,
    port: address.port,
    get exportCount() {
      return exportCount;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
