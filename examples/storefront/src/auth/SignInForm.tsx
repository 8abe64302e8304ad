import { useApolloClient, useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { LoginDocument } from '../../../../operations/__generated__/graphql';
import { ErrorAlert } from '../errors/ErrorAlert';
import type { OperationError } from '../errors/graphql-error';
import { startSession } from './session-mutations';

function describeSignInError({ code, message, extensions }: OperationError): string {
  if (code === 'UNAUTHENTICATED') return 'Wrong email or password.';
  if (code === 'RATE_LIMITED') return `Too many attempts: try again in ${Number(extensions['retryAfter'] ?? 60)} seconds.`;
  return code ? `${code}: ${message}` : `Could not reach the shop: ${message}`;
}

/** Email and password, then Login; the token pair becomes the session. */
export function SignInForm() {
  const client = useApolloClient();
  const [login, { loading, error }] = useMutation(LoginDocument);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  async function signIn(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // A refused sign-in rejects; the hook's `error` shows why.
    const result = await login({ variables: { email, password } }).catch(() => undefined);
    if (result?.data) await startSession(client, result.data.login);
  }

  return (
    <form aria-label="Sign in" onSubmit={(event) => void signIn(event)} className="sign-in">
      <label>
        Email
        <input type="email" autoComplete="username" required value={email} onChange={(event) => setEmail(event.target.value)} />
      </label>
      <label>
        Password
        <input
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
      </label>
      <button type="submit" disabled={loading}>
        Sign in
      </button>
      {error && <ErrorAlert error={error} describe={describeSignInError} testId="sign-in-error" />}
      <p className="hint">Demo account: customer@example.com, password supergraph-demo-2026</p>
    </form>
  );
}
