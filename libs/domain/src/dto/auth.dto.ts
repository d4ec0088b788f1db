// POST /auth/token.
import { IsDefined, IsString, MaxLength, MinLength } from 'class-validator';
import { LIMITS } from '../limits';
import { Text, compose } from './constraints';

export class LoginDto {
  @Text(LIMITS.username)
  username!: string;

  // Not trimmed nor checked for blanks: a password is compared as given.
  @compose(
    IsDefined({ message: 'password is required' }),
    IsString({ message: 'password must be a string' }),
    MinLength(1, { message: 'password is required' }),
    MaxLength(LIMITS.password, {
      message: `password must be at most ${LIMITS.password} characters`,
    }),
  )
  password!: string;
}
