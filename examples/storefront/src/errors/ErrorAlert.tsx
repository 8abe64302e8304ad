import { readOperationError, type OperationError } from './graphql-error';

interface ErrorAlertProps {
  error: unknown;
  /** What to say for this error; the default shows the code and the server's message. */
  describe?: (error: OperationError) => string;
  testId?: string;
}

/** A failed operation, announced to screen readers; data-error-code carries the code for tests. */
export function ErrorAlert({ error, describe, testId }: ErrorAlertProps) {
  const operationError = readOperationError(error);
  const text =
    describe?.(operationError) ??
    (operationError.code
      ? `${operationError.code}: ${operationError.message}`
      : `Could not reach the shop: ${operationError.message}`);
  return (
    <p role="alert" className="error" data-testid={testId} data-error-code={operationError.code ?? 'NETWORK_ERROR'}>
      {text}
    </p>
  );
}
