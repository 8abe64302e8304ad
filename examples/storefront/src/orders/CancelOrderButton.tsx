import { useMutation } from '@apollo/client/react';
import { CancelOrderDocument } from '../../../../operations/__generated__/graphql';
import { ErrorAlert } from '../errors/ErrorAlert';
import type { OperationError } from '../errors/graphql-error';

function describeCancelError({ code, message }: OperationError): string {
  if (code === 'ORDER_IN_PROGRESS') return 'The refund is on its way: the order will show as cancelled shortly.';
  if (code === 'ORDER_NOT_CANCELLABLE') return 'Checkout has not finished yet: try again in a moment.';
  return code ? `${code}: ${message}` : `Could not reach the shop: ${message}`;
}

/**
 * Cancels a confirmed order. CancelOrder returns the order's id and new status, so the cache updates
 * the order wherever it is shown: no refetch.
 */
export function CancelOrderButton({ orderId }: { orderId: string }) {
  const [cancelOrder, { loading, error }] = useMutation(CancelOrderDocument, { variables: { orderId } });
  return (
    <>
      <button
        type="button"
        aria-label={`Cancel order ${orderId}`}
        disabled={loading}
        // A refusal rejects; the hook's `error` shows why.
        onClick={() => void cancelOrder().catch(() => undefined)}
      >
        Cancel order
      </button>
      {error && <ErrorAlert error={error} describe={describeCancelError} testId="cancel-error" />}
    </>
  );
}
