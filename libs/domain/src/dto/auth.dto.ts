// POST /auth/token.
import { IsDefined, IsString, MaxLength, MinLength } from 'class-validator';
import { LIMITS } from '../limits';
import { Text, compose } from './constraints';

/**
 * A password as given: required, a string of 1 to LIMITS.password characters. Not trimmed nor
 * checked for blanks: a password is compared (or, for a new user, checked against the password
 * policy by the service) exactly as given. Used by login and by the admin's user creation.
 */
export const Password = (): PropertyDecorator =>
  compose(
    IsDefined({ message: 'password is required' }),
    IsString({ message: 'password must be a string' }),
    MinLength(1, { message: 'password is required' }),
    MaxLength(LIMITS.password, {
      message: `password must be at most ${LIMITS.password} characters`,
    }),
  );

export class LoginDto {
  @Text(LIMITS.username)
  username!: string;

  @Password()
  password!: string;
}
