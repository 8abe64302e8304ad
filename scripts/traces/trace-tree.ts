import { styleText } from 'node:util';
import type { AttributeValue, ReceivedSpan } from './otlp-json.js';

/** The attributes worth a glance in a tree, in the order they are shown, with the label they are shown under. */
const KEY_ATTRIBUTES: [attribute: string, label: string][] = [
  ['graphql.operation.name', 'operation'],
  ['http.response.status_code', 'status'],
  ['http.status_code', 'status'],
  ['order.id', 'order'],
  ['checkout.outcome', 'outcome'],
  ['dataloader.keys', 'keys'],
  ['db.query.text', 'sql'],
];
const SQL_SHOWN_CHARS = 80;

export interface FormatOptions {
  /** ANSI colours (service names, errors, dim details). Default false. */
  color?: boolean;
}

type Style = Parameters<typeof styleText>[0];

function shorten(text: string, length: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= length ? oneLine : `${oneLine.slice(0, length - 1)}…`;
}

function formatValue(attribute: string, value: AttributeValue): string {
  return attribute === 'db.query.text' ? JSON.stringify(shorten(String(value), SQL_SHOWN_CHARS)) : String(value);
}

function durationMs(span: ReceivedSpan): string {
  return `${((span.endNs - span.startNs) / 1e6).toFixed(1)} ms`;
}

/**
 * One trace as an indented tree, one line per span: the span's name, its service, how long it took
 * and its key attributes (the operation, an HTTP status, the SQL text shortened, an order id), and
 * under a span its links to other traces. Spans whose parent never arrived are shown at the top level,
 * marked, after the root.
 */
export function formatTraceTree(spans: ReceivedSpan[], { color = false }: FormatOptions = {}): string {
  const paint = (style: Style, text: string) => (color ? styleText(style, text) : text);
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string, ReceivedSpan[]>();
  const tops: ReceivedSpan[] = [];
  for (const span of spans) {
    if (span.parentSpanId && ids.has(span.parentSpanId)) {
      children.set(span.parentSpanId, [...(children.get(span.parentSpanId) ?? []), span]);
    } else {
      tops.push(span);
    }
  }
  const byStart = (a: ReceivedSpan, b: ReceivedSpan) => a.startNs - b.startNs;
  tops.sort((a, b) => Number(Boolean(a.parentSpanId)) - Number(Boolean(b.parentSpanId)) || byStart(a, b));

  const services = [...new Set(spans.map((span) => span.service))];
  const root = tops[0];
  const lines = [
    paint(
      'bold',
      `trace ${spans[0]?.traceId ?? '?'}  ${root ? `${root.name}  ${durationMs(root)}` : ''}  ${spans.length} spans  ${services.join(', ')}`,
    ),
  ];

  const writeSpan = (span: ReceivedSpan, indent: string) => {
    const details = KEY_ATTRIBUTES.filter(([attribute]) => {
      // http.status_code is the older name: shown only when the newer one is absent.
      const isShadowed = attribute === 'http.status_code' && 'http.response.status_code' in span.attributes;
      return !isShadowed && span.attributes[attribute] !== undefined;
    }).map(([attribute, label]) => `${label}=${formatValue(attribute, span.attributes[attribute]!)}`);
    const orphan =
      span.parentSpanId && !ids.has(span.parentSpanId) ? paint('yellow', ` (parent ${span.parentSpanId} not received)`) : '';
    const error =
      span.status.code === 'ERROR' ? paint('red', ` ERROR${span.status.message ? ` ${span.status.message}` : ''}`) : '';
    const kind = span.kind === 'INTERNAL' ? '' : ` ${span.kind.toLowerCase()}`;
    lines.push(
      `${indent}${span.name}  ${paint('cyan', `[${span.service}${kind}]`)}  ${durationMs(span)}${error}${orphan}` +
        (details.length > 0 ? `  ${paint('dim', details.join(' '))}` : ''),
    );
    for (const link of span.links) {
      lines.push(`${indent}  ${paint('magenta', `↳ linked from trace ${link.traceId} span ${link.spanId}`)}`);
    }
    for (const child of (children.get(span.spanId) ?? []).sort(byStart)) writeSpan(child, `${indent}  `);
  };
  for (const top of tops) writeSpan(top, '  ');
  return lines.join('\n');
}
