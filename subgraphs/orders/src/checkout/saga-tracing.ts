import { ROOT_CONTEXT, context, propagation, trace, type Link } from '@opentelemetry/api';
import { isTracingEnabled, withSpan } from '@supergraph/server-kit/tracing';
import type { SagaStep } from '../db/tables/index.js';
import type { Saga } from './saga-record.js';

// Checkout across time (decision 025): each step a driver runs is a span `checkout.<step>`, a child
// of whatever drives it (the customer's request, or a recovery pass); a recovery pass on a saga is a
// new trace whose root span links to the request that started the saga, whose traceparent is stored
// with the saga row. A trace does not stay open for the minutes a saga may take. With tracing off,
// nothing here creates a span or reads a context.

const TRACER = '@supergraph/orders';

/** The W3C traceparent of the span active now, to store with a saga; null when tracing is off or no span is active. */
export function currentTraceParent(): string | null {
  if (!isTracingEnabled()) return null;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

/** What a traced step reports about how it went: the step outcome's kind, and the step the saga is at after it. */
export interface StepReport {
  outcome: string;
  nextStep?: SagaStep;
}

/** Runs one saga step as the span `checkout.<step>` (order.id, checkout.step, checkout.outcome). */
export async function traceStep<T>(saga: Saga, run: () => Promise<{ result: T; report: StepReport }>): Promise<T> {
  if (!isTracingEnabled()) return (await run()).result;
  const attributes = { 'order.id': saga.orderId, 'checkout.step': saga.step };
  return withSpan(`checkout.${saga.step.toLowerCase()}`, { tracer: TRACER, attributes }, async (span) => {
    const { result, report } = await run();
    span.setAttribute('checkout.outcome', report.outcome);
    if (report.nextStep !== undefined) span.setAttribute('checkout.next_step', report.nextStep);
    return result;
  });
}

/**
 * Runs a recovery pass on `saga` as the root span `checkout.recover` of a new trace, linked to the
 * span of the request that started the saga (when one was stored): the steps it runs are its
 * children, and the calls they make carry its traceparent.
 */
export async function traceRecovery<T>(saga: Saga, run: () => Promise<T>): Promise<T> {
  if (!isTracingEnabled()) return run();
  const started = linkToStoredSpan(saga.traceParent);
  return withSpan(
    'checkout.recover',
    {
      tracer: TRACER,
      root: true,
      attributes: { 'order.id': saga.orderId, 'checkout.step': saga.step, 'checkout.attempts': saga.attempts },
      links: started ? [started] : [],
    },
    () => run(),
  );
}

/**
 * Runs an ended saga's late-charge check as the root span `checkout.late_charge_check` of a new
 * trace, linked like a recovery pass to the request that started the saga: the calls to the payment
 * provider are its children, not one-span traces of their own.
 */
export async function traceLateChargeCheck<T>(
  { orderId, traceParent }: { orderId: string; traceParent: string | null },
  run: () => Promise<T>,
): Promise<T> {
  if (!isTracingEnabled()) return run();
  const started = linkToStoredSpan(traceParent);
  return withSpan(
    'checkout.late_charge_check',
    { tracer: TRACER, root: true, attributes: { 'order.id': orderId }, links: started ? [started] : [] },
    () => run(),
  );
}

function linkToStoredSpan(traceParent: string | null): Link | null {
  if (traceParent === null) return null;
  const spanContext = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, { traceparent: traceParent }));
  return spanContext && trace.isSpanContextValid(spanContext)
    ? { context: spanContext, attributes: { 'link.reason': 'checkout request' } }
    : null;
}
