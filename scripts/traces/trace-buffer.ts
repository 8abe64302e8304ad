import type { ReceivedSpan } from './otlp-json.js';

export interface TraceBufferOptions {
  /**
   * Called when a trace has had no new span for `quietMs`, with every span of it received so far.
   * A span of that trace arriving later makes it quiet again later, and it is reported again, whole.
   * Default: none.
   */
  onQuiet?: (spans: ReceivedSpan[]) => void;
  /** How long a trace must go without a new span to count as complete. Default 2000 ms. */
  quietMs?: number;
  /** How many traces are kept; the oldest is forgotten past that. Default 10 000. */
  maxTraces?: number;
}

/** Received spans grouped by trace id, in the order they came. */
export interface TraceBuffer {
  add(spans: ReceivedSpan[]): void;
  /** The spans of one trace (empty when none came). */
  trace(traceId: string): ReceivedSpan[];
  /** Every trace id kept, oldest first. */
  traceIds(): string[];
  /** Every span kept, trace by trace. */
  spans(): ReceivedSpan[];
  /** Stops the quiet timers: traces not reported yet are not reported. */
  close(): void;
}

/**
 * Spans of one trace come from several processes, each exporting in its own batches, so a trace is
 * never known to be complete: the viewer takes "no new span for a while" as complete; the tests wait
 * for the spans they expect instead.
 */
export function createTraceBuffer({ onQuiet, quietMs = 2_000, maxTraces = 10_000 }: TraceBufferOptions = {}): TraceBuffer {
  const traces = new Map<string, ReceivedSpan[]>();
  const timers = new Map<string, NodeJS.Timeout>();

  const waitForQuiet = (traceId: string) => {
    if (!onQuiet) return;
    clearTimeout(timers.get(traceId));
    const timer = setTimeout(() => {
      timers.delete(traceId);
      onQuiet([...(traces.get(traceId) ?? [])]);
    }, quietMs);
    timers.set(traceId, timer);
  };

  return {
    add(spans) {
      const touched = new Set<string>();
      for (const span of spans) {
        const trace = traces.get(span.traceId);
        if (trace) trace.push(span);
        else traces.set(span.traceId, [span]);
        touched.add(span.traceId);
      }
      for (const traceId of touched) waitForQuiet(traceId);
      for (const traceId of traces.keys()) {
        if (traces.size <= maxTraces) break;
        traces.delete(traceId);
      }
    },
    trace: (traceId) => [...(traces.get(traceId) ?? [])],
    traceIds: () => [...traces.keys()],
    spans: () => [...traces.values()].flat(),
    close() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
