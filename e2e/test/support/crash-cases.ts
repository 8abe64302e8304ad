import { CRASH_POINTS, type CrashPoint } from '../../../subgraphs/orders/src/checkout/crash-points.js';

/**
 * What a crash point interrupts: a checkout that is paid (tok_visa), one whose card is declined, or
 * the cancellation of a confirmed order; and where the saga was left when the process died (step and
 * payment state). Every point is listed (the type says so), compensation-recorded for both flows
 * that reach it.
 */
type Flow = 'checkout' | 'declined checkout' | 'cancellation';
const CASES_BY_POINT: Record<CrashPoint, { flow: Flow; leftAt: [step: string, paymentState: string] }[]> = {
  'checkout-recorded': [{ flow: 'checkout', leftAt: ['RESERVING', 'NONE'] }],
  'stock-reserved-answered': [{ flow: 'checkout', leftAt: ['RESERVING', 'NONE'] }],
  'stock-reserved-recorded': [{ flow: 'checkout', leftAt: ['CHARGING', 'UNKNOWN'] }],
  'payment-captured-answered': [{ flow: 'checkout', leftAt: ['CHARGING', 'UNKNOWN'] }],
  'payment-captured-recorded': [{ flow: 'checkout', leftAt: ['COMMITTING', 'CAPTURED'] }],
  'stock-committed-answered': [{ flow: 'checkout', leftAt: ['COMMITTING', 'CAPTURED'] }],
  'payment-declined-answered': [{ flow: 'declined checkout', leftAt: ['CHARGING', 'UNKNOWN'] }],
  'compensation-recorded': [
    { flow: 'declined checkout', leftAt: ['COMPENSATING', 'DECLINED'] },
    { flow: 'cancellation', leftAt: ['COMPENSATING', 'CAPTURED'] },
  ],
  'payment-refunded-answered': [{ flow: 'cancellation', leftAt: ['COMPENSATING', 'CAPTURED'] }],
  'stock-released-answered': [{ flow: 'cancellation', leftAt: ['COMPENSATING', 'REFUNDED'] }],
};
const isForward = ({ flow }: { flow: Flow }) => flow === 'checkout';
const allCases = CRASH_POINTS.flatMap((point) => CASES_BY_POINT[point].map((crashCase) => ({ point, ...crashCase })));
const forwardCases = allCases.filter(isForward);
const compensatingCases = allCases.filter((crashCase) => !isForward(crashCase));
const alternatingCases = Array.from({ length: Math.max(forwardCases.length, compensatingCases.length) }, (_, index) => [
  forwardCases[index],
  compensatingCases[index],
])
  .flat()
  .filter((crashCase) => crashCase !== undefined);
/**
 * The cases, forward and compensating ones in turn. After a crash, orders starts again already armed
 * for the next case when that one is of the other kind (`armNext`), which saves a restart per case:
 * a paid checkout (its recovery, its retry, and the order a cancellation case places first) never
 * reaches a compensation point, and a compensation never reaches a forward point.
 */
export const CRASH_CASES = alternatingCases.map((crashCase, index) => {
  const after = alternatingCases[index + 1];
  return { ...crashCase, armNext: after && isForward(after) !== isForward(crashCase) ? after.point : undefined };
});

/** How each flow ends once the recovery loop has finished it. */
export const OUTCOMES = {
  checkout: { step: 'CONFIRMED', failureCode: null, paymentState: 'CAPTURED' },
  'declined checkout': { step: 'CANCELLED', failureCode: 'PAYMENT_DECLINED', paymentState: 'DECLINED' },
  cancellation: { step: 'CANCELLED', failureCode: 'CANCELLED_BY_CUSTOMER', paymentState: 'REFUNDED' },
} as const satisfies Record<Flow, object>;
