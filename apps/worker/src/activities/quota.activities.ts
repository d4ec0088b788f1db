import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { QuotaReservation, QuotaResult } from '../../../../workflows/activity-types';
import { rowsOf } from './sql';

/**
 * The yearly INTERPOL quota per requesting country. A request holds at most one slot (its row
 * in quota_reservations), so a retried reservation takes nothing twice; the conditional UPDATE
 * of the counter row is what makes two requests racing for the last slot end with one winner.
 * An admin's limit for the country and year (quota_limit) beats the request's default, and
 * applies at once: the quota is one shared count, not a rule a request lives by.
 */
@Injectable()
export class QuotaActivities {
  private readonly logger = new Logger(QuotaActivities.name);

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async reserveQuota(r: QuotaReservation): Promise<QuotaResult> {
    const { requestId, country, year, limit } = r;
    return this.db.transaction(async (em): Promise<QuotaResult> => {
      // Claim first: a concurrent retry of the same request waits here on the primary key and
      // then finds the claim, instead of failing on a duplicate after taking a second slot.
      const claimed = await rowsOf(
        em,
        `INSERT INTO quota_reservations (request_id, country, year) VALUES ($1, $2, $3)
         ON CONFLICT (request_id) DO NOTHING RETURNING request_id`,
        [requestId, country, year],
      );
      if (claimed.length === 0) {
        const held = await rowsOf<{ used: number; quota_limit: number | null }>(
          em,
          `SELECT c.used, c.quota_limit FROM quota_reservations r
             JOIN quota_counters c ON c.country = r.country AND c.year = r.year
           WHERE r.request_id = $1`,
          [requestId],
        );
        return { ok: true, used: held[0]?.used ?? 0, limit: held[0]?.quota_limit ?? limit };
      }
      await em.query(
        `INSERT INTO quota_counters (country, year) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
        [country, year],
      );
      // Under READ COMMITTED a waiting UPDATE re-checks `used < $3` on the row the winner
      // committed, so the last slot goes to exactly one request.
      const taken = await rowsOf<{ used: number; quota_limit: number | null }>(
        em,
        `UPDATE quota_counters SET used = used + 1
         WHERE country = $1 AND year = $2 AND used < coalesce(quota_limit, $3)
         RETURNING used, quota_limit`,
        [country, year, limit],
      );
      if (taken.length === 0) {
        await em.query(`DELETE FROM quota_reservations WHERE request_id = $1`, [requestId]);
        const current = await rowsOf<{ used: number; quota_limit: number | null }>(
          em,
          `SELECT used, quota_limit FROM quota_counters WHERE country = $1 AND year = $2`,
          [country, year],
        );
        const effective = current[0]?.quota_limit ?? limit;
        this.logger.log(`quota ${country} ${year} spent (${current[0]?.used ?? 0}/${effective})`);
        return { ok: false, used: current[0]?.used ?? 0, limit: effective };
      }
      const effective = taken[0].quota_limit ?? limit;
      this.logger.log(`quota ${country} ${year}: slot ${taken[0].used}/${effective} reserved`);
      return { ok: true, used: taken[0].used, limit: effective };
    });
  }

  /** Deleting the reservation is what gates the decrement, so it happens at most once. */
  async releaseQuota(r: Pick<QuotaReservation, 'requestId'>): Promise<void> {
    await this.db.transaction(async (em) => {
      const released = await rowsOf<{ country: string; year: number }>(
        em,
        `DELETE FROM quota_reservations WHERE request_id = $1 RETURNING country, year`,
        [r.requestId],
      );
      if (released.length === 0) return;
      const { country, year } = released[0];
      await em.query(
        `UPDATE quota_counters SET used = used - 1
         WHERE country = $1 AND year = $2 AND used > 0`,
        [country, year],
      );
      this.logger.log(`quota ${country} ${year}: slot released`);
    });
  }
}
