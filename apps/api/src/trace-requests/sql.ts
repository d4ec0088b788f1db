import type { DataSource, EntityManager } from 'typeorm';

/**
 * The rows of a raw query, whatever the statement. TypeORM's plain `query()` answers UPDATE and
 * DELETE with `[rows, count]` but INSERT and SELECT with `rows`; the structured result is
 * uniform. Inside a transaction pass its EntityManager, so the statement runs in it.
 */
export async function rowsOf<T>(
  db: DataSource,
  sql: string,
  params: unknown[],
  em?: EntityManager,
): Promise<T[]> {
  const runner = em?.queryRunner ?? db.createQueryRunner();
  try {
    const result = await runner.query(sql, params, true);
    return (result.records ?? []) as T[];
  } finally {
    if (!em?.queryRunner) await runner.release();
  }
}
