// The OTLP JSON encoding of an ExportTraceServiceRequest (what the SDK sends with
// OTEL_EXPORTER_OTLP_PROTOCOL=http/json; the protobuf decoder produces the same shape), and its
// normalisation into ReceivedSpan, the one shape the trace viewer and the e2e tests read.

/** An OTLP AnyValue: one of its fields is set. int64 values are decimal strings (or numbers, as some senders write them). */
export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
  bytesValue?: string;
}

export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}

export interface OtlpLink {
  traceId: string;
  spanId: string;
  attributes?: OtlpKeyValue[];
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind?: number;
  startTimeUnixNano?: string | number;
  endTimeUnixNano?: string | number;
  attributes?: OtlpKeyValue[];
  links?: OtlpLink[];
  /** code: 0 unset, 1 ok, 2 error. */
  status?: { code?: number; message?: string };
}

export interface OtlpScopeSpans {
  scope?: { name?: string; version?: string };
  spans?: OtlpSpan[];
}

export interface OtlpResourceSpans {
  resource?: { attributes?: OtlpKeyValue[] };
  scopeSpans?: OtlpScopeSpans[];
}

export interface OtlpExportRequest {
  resourceSpans?: OtlpResourceSpans[];
}

export type SpanKindName = 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';
export type AttributeValue = string | number | boolean;

/** A span as received, flattened: what its process said it is and where it sits in its trace. */
export interface ReceivedSpan {
  /** The resource's service.name (each of our processes sets its own). */
  service: string;
  /** The instrumentation scope (tracer) that made it, such as @opentelemetry/instrumentation-http. */
  scope: string;
  name: string;
  kind: SpanKindName;
  traceId: string;
  spanId: string;
  /** The parent's span id; undefined for a trace's root span. */
  parentSpanId: string | undefined;
  /** Spans in other traces this one links to (the caller's traceparent at the router, the checkout a recovery resumes). */
  links: { traceId: string; spanId: string; attributes: Record<string, AttributeValue> }[];
  /** Arrays and maps are written as JSON text; bytes as base64. */
  attributes: Record<string, AttributeValue>;
  status: { code: 'UNSET' | 'OK' | 'ERROR'; message?: string };
  /** Nanoseconds since the epoch, as a number (precise to a fraction of a microsecond, plenty for durations and ordering). */
  startNs: number;
  endNs: number;
}

const KINDS: Record<number, SpanKindName> = { 1: 'INTERNAL', 2: 'SERVER', 3: 'CLIENT', 4: 'PRODUCER', 5: 'CONSUMER' };
const STATUS_CODES = ['UNSET', 'OK', 'ERROR'] as const;

/** OTLP JSON writes ids as hex; some senders write them base64 (the protobuf JSON mapping of bytes). Hex either way. */
function toHexId(id: string | undefined, length: number): string | undefined {
  if (!id) return undefined;
  if (id.length === length && /^[0-9a-f]+$/i.test(id)) return id.toLowerCase();
  const decoded = Buffer.from(id, 'base64').toString('hex');
  return decoded.length === length ? decoded : id;
}

function plainValue(value: OtlpAnyValue | undefined): unknown {
  if (!value) return '';
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.bytesValue !== undefined) return value.bytesValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(plainValue);
  if (value.kvlistValue)
    return Object.fromEntries((value.kvlistValue.values ?? []).map((entry) => [entry.key, plainValue(entry.value)]));
  return '';
}

function toAttributes(keyValues: OtlpKeyValue[] | undefined): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = {};
  for (const { key, value } of keyValues ?? []) {
    const plain = plainValue(value);
    attributes[key] = typeof plain === 'object' ? JSON.stringify(plain) : (plain as AttributeValue);
  }
  return attributes;
}

/** Every span of an export request, flattened, each carrying its process's service.name. */
export function toReceivedSpans(request: OtlpExportRequest): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of request.resourceSpans ?? []) {
    const resource = toAttributes(resourceSpans.resource?.attributes);
    const service = String(resource['service.name'] ?? 'unknown_service');
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      const scope = scopeSpans.scope?.name ?? '';
      for (const span of scopeSpans.spans ?? []) {
        spans.push({
          service,
          scope,
          name: span.name,
          kind: KINDS[span.kind ?? 0] ?? 'INTERNAL',
          traceId: toHexId(span.traceId, 32) ?? '',
          spanId: toHexId(span.spanId, 16) ?? '',
          parentSpanId: toHexId(span.parentSpanId, 16),
          links: (span.links ?? []).map((link) => ({
            traceId: toHexId(link.traceId, 32) ?? '',
            spanId: toHexId(link.spanId, 16) ?? '',
            attributes: toAttributes(link.attributes),
          })),
          attributes: toAttributes(span.attributes),
          status: {
            code: STATUS_CODES[span.status?.code ?? 0] ?? 'UNSET',
            ...(span.status?.message ? { message: span.status.message } : {}),
          },
          startNs: Number(span.startTimeUnixNano ?? 0),
          endNs: Number(span.endTimeUnixNano ?? 0),
        });
      }
    }
  }
  return spans;
}
