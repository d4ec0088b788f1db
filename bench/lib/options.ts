import { InvalidArgumentError } from 'commander';

/** Commander parser of a positive integer option (`--journeys 40`). */
export const positiveInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a positive integer');
  return n;
};
