import { BadUserInputError, UnauthenticatedError } from '@supergraph/server-kit/graphql';

/**
 * The codes the users service answers beyond the generic ones (GENERIC_ERROR_CODES in server-kit):
 * none. Every failure below is a generic BAD_USER_INPUT or UNAUTHENTICATED with its own class, so
 * that its message and `argumentName` are written once. Codes, messages and extension field names
 * are a public contract: never rename them.
 */
export const USERS_ERROR_CODES = [] as const;

export type UsersErrorCode = (typeof USERS_ERROR_CODES)[number];

/** register: an account with this address exists (BAD_USER_INPUT on `input.email`). */
export class EmailTakenError extends BadUserInputError {
  constructor() {
    super('input.email is already registered; sign in instead.', 'input.email');
  }
}

/**
 * login: no account has this address, or the password is wrong (UNAUTHENTICATED). One message for
 * both, so an answer never says which addresses have an account.
 */
export class InvalidCredentialsError extends UnauthenticatedError {
  constructor() {
    super('Email or password is incorrect.');
  }
}

/** refreshToken: the token is unknown, already used, or its session ended or expired (UNAUTHENTICATED). */
export class InvalidRefreshTokenError extends UnauthenticatedError {
  constructor() {
    super('The refresh token is invalid, used or expired; sign in again.');
  }
}

/** updateProfile, changePassword: the caller's token is valid but its account is gone (UNAUTHENTICATED). */
export class AccountGoneError extends UnauthenticatedError {
  constructor() {
    super('Your account no longer exists.');
  }
}

/** changePassword: `input.currentPassword` does not match (BAD_USER_INPUT). */
export class WrongCurrentPasswordError extends BadUserInputError {
  constructor() {
    super('input.currentPassword is incorrect.', 'input.currentPassword');
  }
}

/** changePassword: `input.newPassword` is the current password (BAD_USER_INPUT). */
export class UnchangedPasswordError extends BadUserInputError {
  constructor() {
    super('input.newPassword must differ from the current password.', 'input.newPassword');
  }
}
