// Reads an OTLP ExportTraceServiceRequest in its protobuf encoding (what the SDK sends with
// OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf, the default) into the shape of the OTLP JSON encoding,
// so both encodings go through one normaliser (otlp-spans.ts).
//
// A decoder of our own, about a hundred lines over the wire format: the OpenTelemetry exporters we
// run (0.2xx) write protobuf by hand and no longer ship the protobufjs code that could read it; the
// only copy in node_modules is an old transformer hoisted from @apollo/gateway's dependencies, which
// a gateway upgrade could take away. Field numbers are those of opentelemetry/proto/trace/v1/trace.proto.
import type {
  OtlpAnyValue,
  OtlpExportRequest,
  OtlpKeyValue,
  OtlpLink,
  OtlpResourceSpans,
  OtlpScopeSpans,
  OtlpSpan,
} from './otlp-json.js';

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

/** A protobuf message's bytes, read field by field. */
class MessageReader {
  private position = 0;

  constructor(private readonly bytes: Uint8Array) {}

  /** Each field of the message in order: its number, wire type and (for scalars) value or (for length-delimited) bytes. */
  *fields(): Generator<{ field: number; wireType: number; reader: MessageReader }> {
    while (this.position < this.bytes.length) {
      const tag = Number(this.readVarint());
      yield { field: tag >>> 3, wireType: tag & 7, reader: this };
    }
  }

  readVarint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = this.take(1)[0]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
    throw new Error('malformed protobuf: a varint longer than 10 bytes');
  }

  readFixed64(): DataView {
    const bytes = this.take(8);
    return new DataView(bytes.buffer, bytes.byteOffset, 8);
  }

  readBytes(): Uint8Array {
    return this.take(Number(this.readVarint()));
  }

  readString(): string {
    return new TextDecoder().decode(this.readBytes());
  }

  readMessage(): MessageReader {
    return new MessageReader(this.readBytes());
  }

  /** Skips a field this decoder does not read (events, dropped counts, flags, schema URLs). */
  skip(wireType: number): void {
    if (wireType === WIRE_VARINT) this.readVarint();
    else if (wireType === WIRE_FIXED64) this.take(8);
    else if (wireType === WIRE_LENGTH_DELIMITED) this.readBytes();
    else if (wireType === WIRE_FIXED32) this.take(4);
    else throw new Error(`malformed protobuf: unknown wire type ${wireType}`);
  }

  private take(length: number): Uint8Array {
    if (this.position + length > this.bytes.length)
      throw new Error('malformed protobuf: a field runs past the end of its message');
    const slice = this.bytes.subarray(this.position, this.position + length);
    this.position += length;
    return slice;
  }
}

const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** Decodes a protobuf ExportTraceServiceRequest; throws on bytes that are not one. */
export function decodeTraceRequest(body: Uint8Array): OtlpExportRequest {
  const resourceSpans: OtlpResourceSpans[] = [];
  for (const { field, wireType, reader } of new MessageReader(body).fields()) {
    if (field === 1 && wireType === WIRE_LENGTH_DELIMITED) resourceSpans.push(readResourceSpans(reader.readMessage()));
    else reader.skip(wireType);
  }
  return { resourceSpans };
}

function readResourceSpans(message: MessageReader): OtlpResourceSpans {
  const attributes: OtlpKeyValue[] = [];
  const scopeSpans: OtlpScopeSpans[] = [];
  for (const { field, wireType, reader } of message.fields()) {
    if (field === 1 && wireType === WIRE_LENGTH_DELIMITED) {
      // Resource: attributes are field 1.
      for (const inner of reader.readMessage().fields()) {
        if (inner.field === 1 && inner.wireType === WIRE_LENGTH_DELIMITED)
          attributes.push(readKeyValue(inner.reader.readMessage()));
        else inner.reader.skip(inner.wireType);
      }
    } else if (field === 2 && wireType === WIRE_LENGTH_DELIMITED) scopeSpans.push(readScopeSpans(reader.readMessage()));
    else reader.skip(wireType);
  }
  return { resource: { attributes }, scopeSpans };
}

function readScopeSpans(message: MessageReader): OtlpScopeSpans {
  const scope = { name: '', version: '' };
  const spans: OtlpSpan[] = [];
  for (const { field, wireType, reader } of message.fields()) {
    if (field === 1 && wireType === WIRE_LENGTH_DELIMITED) {
      for (const inner of reader.readMessage().fields()) {
        if (inner.field === 1 && inner.wireType === WIRE_LENGTH_DELIMITED) scope.name = inner.reader.readString();
        else if (inner.field === 2 && inner.wireType === WIRE_LENGTH_DELIMITED) scope.version = inner.reader.readString();
        else inner.reader.skip(inner.wireType);
      }
    } else if (field === 2 && wireType === WIRE_LENGTH_DELIMITED) spans.push(readSpan(reader.readMessage()));
    else reader.skip(wireType);
  }
  return { scope, spans };
}

function readSpan(message: MessageReader): OtlpSpan {
  const span: OtlpSpan = { traceId: '', spanId: '', name: '', kind: 0, attributes: [], links: [] };
  for (const { field, wireType, reader } of message.fields()) {
    if (wireType === WIRE_LENGTH_DELIMITED && field === 1) span.traceId = toHex(reader.readBytes());
    else if (wireType === WIRE_LENGTH_DELIMITED && field === 2) span.spanId = toHex(reader.readBytes());
    else if (wireType === WIRE_LENGTH_DELIMITED && field === 4) span.parentSpanId = toHex(reader.readBytes());
    else if (wireType === WIRE_LENGTH_DELIMITED && field === 5) span.name = reader.readString();
    else if (wireType === WIRE_VARINT && field === 6) span.kind = Number(reader.readVarint());
    else if (wireType === WIRE_FIXED64 && field === 7)
      span.startTimeUnixNano = reader.readFixed64().getBigUint64(0, true).toString();
    else if (wireType === WIRE_FIXED64 && field === 8)
      span.endTimeUnixNano = reader.readFixed64().getBigUint64(0, true).toString();
    else if (wireType === WIRE_LENGTH_DELIMITED && field === 9) span.attributes!.push(readKeyValue(reader.readMessage()));
    else if (wireType === WIRE_LENGTH_DELIMITED && field === 13) span.links!.push(readLink(reader.readMessage()));
    else if (wireType === WIRE_LENGTH_DELIMITED && field === 15) span.status = readStatus(reader.readMessage());
    else reader.skip(wireType);
  }
  return span;
}

function readLink(message: MessageReader): OtlpLink {
  const link: OtlpLink = { traceId: '', spanId: '', attributes: [] };
  for (const { field, wireType, reader } of message.fields()) {
    if (wireType === WIRE_LENGTH_DELIMITED && field === 1) link.traceId = toHex(reader.readBytes());
    else if (wireType === WIRE_LENGTH_DELIMITED && field === 2) link.spanId = toHex(reader.readBytes());
    else if (wireType === WIRE_LENGTH_DELIMITED && field === 4) link.attributes!.push(readKeyValue(reader.readMessage()));
    else reader.skip(wireType);
  }
  return link;
}

function readStatus(message: MessageReader): { code?: number; message?: string } {
  const status: { code?: number; message?: string } = {};
  for (const { field, wireType, reader } of message.fields()) {
    if (wireType === WIRE_LENGTH_DELIMITED && field === 2) status.message = reader.readString();
    else if (wireType === WIRE_VARINT && field === 3) status.code = Number(reader.readVarint());
    else reader.skip(wireType);
  }
  return status;
}

function readKeyValue(message: MessageReader): OtlpKeyValue {
  const keyValue: OtlpKeyValue = { key: '', value: {} };
  for (const { field, wireType, reader } of message.fields()) {
    if (wireType === WIRE_LENGTH_DELIMITED && field === 1) keyValue.key = reader.readString();
    else if (wireType === WIRE_LENGTH_DELIMITED && field === 2) keyValue.value = readAnyValue(reader.readMessage());
    else reader.skip(wireType);
  }
  return keyValue;
}

function readAnyValue(message: MessageReader): OtlpAnyValue {
  let value: OtlpAnyValue = {};
  for (const { field, wireType, reader } of message.fields()) {
    if (wireType === WIRE_LENGTH_DELIMITED && field === 1) value = { stringValue: reader.readString() };
    else if (wireType === WIRE_VARINT && field === 2) value = { boolValue: reader.readVarint() !== 0n };
    // int64 travels as a two's-complement varint.
    else if (wireType === WIRE_VARINT && field === 3) value = { intValue: BigInt.asIntN(64, reader.readVarint()).toString() };
    else if (wireType === WIRE_FIXED64 && field === 4) value = { doubleValue: reader.readFixed64().getFloat64(0, true) };
    else if (wireType === WIRE_LENGTH_DELIMITED && field === 5)
      value = { arrayValue: { values: readValues(reader.readMessage()) } };
    else if (wireType === WIRE_LENGTH_DELIMITED && field === 6)
      value = { kvlistValue: { values: readKeyValues(reader.readMessage()) } };
    else if (wireType === WIRE_LENGTH_DELIMITED && field === 7)
      value = { bytesValue: Buffer.from(reader.readBytes()).toString('base64') };
    else reader.skip(wireType);
  }
  return value;
}

function readValues(message: MessageReader): OtlpAnyValue[] {
  const values: OtlpAnyValue[] = [];
  for (const { field, wireType, reader } of message.fields()) {
    if (field === 1 && wireType === WIRE_LENGTH_DELIMITED) values.push(readAnyValue(reader.readMessage()));
    else reader.skip(wireType);
  }
  return values;
}

function readKeyValues(message: MessageReader): OtlpKeyValue[] {
  const values: OtlpKeyValue[] = [];
  for (const { field, wireType, reader } of message.fields()) {
    if (field === 1 && wireType === WIRE_LENGTH_DELIMITED) values.push(readKeyValue(reader.readMessage()));
    else reader.skip(wireType);
  }
  return values;
}
