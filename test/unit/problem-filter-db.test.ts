import { isDatabaseUnavailable } from '../../apps/api/src/common/problem.filter';

describe('a database outage is a 503, not a 500', () => {
  const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

  it.each([
    ['refused connection (PostgreSQL down)', withCode('ECONNREFUSED', 'connect ECONNREFUSED')],
    ['admin shutdown (PostgreSQL stopping)', withCode('57P01', 'terminating connection')],
    ['starting up', withCode('57P03', 'the database system is starting up')],
    ['a TypeORM QueryFailedError around it', { message: 'q', driverError: withCode('57P01') }],
    ['a connection cut mid-query', new Error('Connection terminated unexpectedly')],
    ['the pool timing out on connect', new Error('timeout exceeded when trying to connect')],
  ])('%s', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a bug', new TypeError('cannot read properties of undefined')],
    ['a constraint violation', withCode('23505', 'duplicate key value')],
    ['a bad query', withCode('42703', 'column does not exist')],
    ['nothing', undefined],
  ])('%s stays a 500', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
