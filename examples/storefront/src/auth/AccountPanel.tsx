import { useApolloClient } from '@apollo/client/react';
import { useState } from 'react';
import { signOut } from './session-mutations';
import { SignInForm } from './SignInForm';
import { useSession } from './use-session';

/** Who is signed in, with "Sign out"; the sign-in form when nobody is. */
export function AccountPanel() {
  const client = useApolloClient();
  const session = useSession();
  const [isSigningOut, setSigningOut] = useState(false);

  if (!session) return <SignInForm />;

  function signOutNow() {
    setSigningOut(true);
    void signOut(client).finally(() => setSigningOut(false));
  }

  return (
    <div className="account">
      <span data-testid="signed-in-user">Signed in as {session.user.name}</span>
      <button type="button" onClick={signOutNow} disabled={isSigningOut}>
        Sign out
      </button>
    </div>
  );
}
