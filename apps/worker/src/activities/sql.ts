import type { EntityManager } from 'typeorm';

/**
 * Rows of a raw query inside a transaction. TypeORM's plain `query()` answers UPDATE and DELETE
 * with `[rows, count]` but INSERT and SELECT with `rows`; the structured result is uniform.
 */
export async function rowsOf<T>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const runner = em.queryRunner;
  if (!runner) throw new Error('rowsOf: needs the EntityManager of a transaction');
  const result = await runner.query(sql, params, true);
  return (result.records ?? []) as T[];
}
