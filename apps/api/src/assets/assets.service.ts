import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { canMoveAsset } from '../../../../libs/domain/src/assets';
import type { AssetStatusDto } from '../../../../libs/domain/src/dto';
import type { AssetStatus, Role } from '../../../../libs/domain/src/enums';
import { auditActor, AuditRecorder } from '../audit/audit-recorder.service';
import type { AuthUser } from '../auth/actor';
import { rolesFor } from '../auth/policy';
import { conflict, forbidden, notFound } from '../common/problem';
import { cursorAtSql, decodeCursor, encodeCursor } from '../trace-requests/cursor';
import { DEFAULT_LIMIT } from '../trace-requests/list-query.dto';
import { rowsOf } from '../trace-requests/sql';
import { TraceRequestsService } from '../trace-requests/trace-requests.service';
import { canSee, visibilitySql } from '../trace-requests/visibility';
import { isHomeStaff } from '../trace-requests/view';
import { applyView } from '../../../../libs/domain/src/views';
import type { ListAssetsQuery } from './list-assets.query';

/** Who moves assets along the follow-up chain: investigators and NCB officers at home. */
export const MOVE_ROLES: Role[] = rolesFor('assets.move');

export interface Money {
  amount: string;
  currency: string;
}

export interface AssetMoveView {
  id: string;
  fromStatus: string;
  toStatus: string;
  mlaReference: string;
  note?: string;
  actor: { userId: string; username: string };
  at: string;
}

export interface AssetView {
  id: string;
  requestId: string;
  reference: string;
  country: string;
  externalReference: string;
  itemIndex: number;
  type: string;
  description: string;
  identifiers: Record<string, string> | null;
  holder: string | null;
  estimatedValue: Money | null;
  status: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  moves?: AssetMoveView[];
}

export interface AssetRegister {
  items: AssetView[];
  /** Estimated values summed per currency, as decimal strings (never floats). */
  totals: Money[];
  nextCursor?: string | null;
}

interface AssetRow {
  id: string;
  request_id: string;
  reference: string;
  country: string;
  external_reference: string;
  item_index: number;
  type: string;
  description: string;
  identifiers: Record<string, string> | null;
  holder: string | null;
  amount: string | null;
  currency: string | null;
  status: string;
  version: number;
  created_at: Date;
  updated_at: Date;
  cursor_at?: string;
}

interface MoveRow {
  id: string;
  asset_id: string;
  from_status: string;
  to_status: string;
  mla_reference: string;
  note: string | null;
  actor_id: string;
  actor_username: string;
  at: Date;
  idempotency_key: string | null;
}

const ASSET_COLUMNS = `a.id, a.request_id, t.reference, a.country, a.external_reference,
  a.item_index, a.type, a.description, a.identifiers, a.holder, a.amount::text AS amount,
  a.currency, a.status, a.version, a.created_at, a.updated_at`;

/**
 * numeric(24,4) comes back as "1250000.0000": drop the zeros past the second decimal so amounts
 * read as they were given ("1250000.00"), without ever going through a float.
 */
export function decimal(amount: string): string {
  if (!amount.includes('.')) return `${amount}.00`;
  const [int, frac] = amount.split('.');
  const trimmed = frac.replace(/0+$/, '');
  return `${int}.${trimmed.length >= 2 ? trimmed : trimmed.padEnd(2, '0')}`;
}

@Injectable()
export class AssetsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly requests: TraceRequestsService,
    private readonly audit: AuditRecorder,
  ) {}

  /** The register of one request; a foreign liaison sees what its own country reported. */
  async forRequest(user: AuthUser, requestId: string): Promise<AssetRegister> {
    const row = await this.requests.findVisible(user, requestId);
    const params: unknown[] = [row.id];
    let where = `a.request_id = $1`;
    if (!isHomeStaff(user, row.requestingCountry)) {
      params.push(user.country);
      where += ` AND a.country = $2`;
    }
    const items = (await this.db.query(
      `SELECT ${ASSET_COLUMNS} FROM assets a JOIN trace_requests t ON t.id = a.request_id
        WHERE ${where} ORDER BY a.country, a.created_at, a.external_reference, a.item_index`,
      params,
    )) as AssetRow[];
    const totals = (await this.db.query(
      `SELECT a.currency, SUM(a.amount)::text AS amount FROM assets a
        WHERE ${where} AND a.amount IS NOT NULL AND a.currency IS NOT NULL
        GROUP BY a.currency ORDER BY a.currency`,
      params,
    )) as { currency: string; amount: string }[];
    return applyView(
      'assetRegister',
      user,
      { items: items.map(assetView), totals: totals.map(moneyOf) },
      row.requestingCountry,
    );
  }

  /** Every asset the caller may see, newest first, filtered; totals cover the whole filter. */
  async list(user: AuthUser, query: ListAssetsQuery): Promise<AssetRegister> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const after = decodeCursor(query.cursor);
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where = [visibilitySql(user, 't', params, (country) => `a.country = ${country}`)];
    if (query.status?.length) where.push(`a.status = ANY(${param(query.status)}::text[])`);
    if (query.currency) where.push(`a.currency = ${param(query.currency)}`);
    if (query.country) where.push(`a.country = ${param(query.country)}`);
    if (query.requestId) where.push(`a.request_id = ${param(query.requestId)}::uuid`);
    const from = `FROM assets a JOIN trace_requests t ON t.id = a.request_id`;

    const totals = (await this.db.query(
      `SELECT a.currency, SUM(a.amount)::text AS amount ${from}
        WHERE ${where.join(' AND ')} AND a.amount IS NOT NULL AND a.currency IS NOT NULL
        GROUP BY a.currency ORDER BY a.currency`,
      params,
    )) as { currency: string; amount: string }[];

    const pageWhere = [...where];
    const pageParams = [...params];
    if (after) {
      pageParams.push(after.at, after.id);
      pageWhere.push(
        `(a.created_at, a.id) < ($${pageParams.length - 1}::timestamptz, $${pageParams.length}::uuid)`,
      );
    }
    pageParams.push(limit + 1);
    const rows = (await this.db.query(
      `SELECT ${ASSET_COLUMNS}, ${cursorAtSql('a.created_at')} AS cursor_at ${from}
        WHERE ${pageWhere.join(' AND ')}
        ORDER BY a.created_at DESC, a.id DESC LIMIT $${pageParams.length}`,
      pageParams,
    )) as AssetRow[];
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return applyView('assetRegister', user, {
      items: page.map(assetView),
      totals: totals.map(moneyOf),
      nextCursor:
        rows.length > limit && last ? encodeCursor({ at: last.cursor_at!, id: last.id }) : null,
    });
  }

  /** One asset with its moves, as the caller's view shows it. */
  async get(user: AuthUser, assetId: string): Promise<AssetView> {
    const row = await this.visibleAsset(user, assetId);
    const asset = { ...assetView(row), moves: await this.moves(assetId) };
    return applyView('asset', user, asset, row.requesting_country.trim());
  }

  /**
   * Moves an asset one step along its follow-up chain, in one transaction: the asset row is
   * locked (SELECT ... FOR UPDATE), the move checked with the domain's canMoveAsset (409
   * otherwise), recorded in asset_moves and applied (status, version + 1). With an
   * Idempotency-Key a retry finds its move already recorded and changes nothing.
   */
  async move(
    user: AuthUser,
    assetId: string,
    dto: AssetStatusDto,
    idempotencyKey?: string,
    expectedVersion?: number,
  ): Promise<AssetView> {
    await this.db.transaction(async (em) => {
      const locked = await rowsOf<AssetRow & LockedRequest>(
        this.db,
        `SELECT ${ASSET_COLUMNS}, t.requesting_country, t.content, t.status AS request_status
           FROM assets a JOIN trace_requests t ON t.id = a.request_id
          WHERE a.id = $1 FOR UPDATE OF a`,
        [assetId],
        em,
      );
      const asset = locked[0];
      if (!asset || !canSee(user, requestOf(asset))) throw notFound('asset');
      await this.requests.findVisible(user, asset.request_id, 'act');
      if (
        user.country !== asset.requesting_country ||
        !MOVE_ROLES.some((r) => user.roles.includes(r))
      ) {
        throw forbidden(
          `moving an asset needs an investigator or NCB officer of ${asset.requesting_country}`,
        );
      }
      if (idempotencyKey && (await this.replayed(em, asset, dto, idempotencyKey))) return;
      if (expectedVersion !== undefined && expectedVersion !== asset.version) {
        throw conflict(
          `version conflict: expected ${expectedVersion}, current is ${asset.version}`,
        );
      }
      const from = asset.status as AssetStatus;
      if (!canMoveAsset(from, dto.status)) {
        throw conflict(`an asset cannot move from ${from} to ${dto.status}`);
      }
      await rowsOf(
        this.db,
        `INSERT INTO asset_moves (asset_id, from_status, to_status, mla_reference, note,
           actor_id, actor_username, idempotency_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          assetId,
          from,
          dto.status,
          dto.mlaReference,
          dto.note ?? null,
          user.userId,
          user.username,
          idempotencyKey ?? null,
        ],
        em,
      );
      await rowsOf(
        this.db,
        `UPDATE assets SET status = $2, version = version + 1, updated_at = now() WHERE id = $1`,
        [assetId, dto.status],
        em,
      );
      await this.audit.inTransaction(em, {
        ...auditActor(user, 'assets.move'),
        action: 'assets.move',
        objectType: 'asset',
        objectId: assetId,
        traceRequestId: asset.request_id,
        outcome: 'success',
        details: {
          from,
          to: dto.status,
          mlaReference: dto.mlaReference,
          ...(idempotencyKey ? { idempotencyKey } : {}),
        },
      });
    });
    return this.get(user, assetId);
  }

  /**
   * True when this key's move is already recorded with the same body (a retry: nothing to do);
   * the same key with another move is a 409.
   */
  private async replayed(
    em: EntityManager,
    asset: AssetRow,
    dto: AssetStatusDto,
    key: string,
  ): Promise<boolean> {
    const prior = await rowsOf<MoveRow>(
      this.db,
      `SELECT * FROM asset_moves WHERE asset_id = $1 AND idempotency_key = $2`,
      [asset.id, key],
      em,
    );
    if (prior.length === 0) return false;
    const p = prior[0];
    if (
      p.to_status !== dto.status ||
      p.mla_reference !== dto.mlaReference ||
      (p.note ?? undefined) !== (dto.note ?? undefined)
    ) {
      throw conflict('this Idempotency-Key was already used with a different move');
    }
    return true;
  }

  private async visibleAsset(user: AuthUser, assetId: string): Promise<AssetRow & LockedRequest> {
    const rows = (await this.db.query(
      `SELECT ${ASSET_COLUMNS}, t.requesting_country, t.content, t.status AS request_status
         FROM assets a JOIN trace_requests t ON t.id = a.request_id WHERE a.id = $1`,
      [assetId],
    )) as (AssetRow & LockedRequest)[];
    const row = rows[0];
    if (!row || !canSee(user, requestOf(row))) throw notFound('asset');
    await this.requests.findVisible(user, row.request_id);
    if (!isHomeStaff(user, row.requesting_country) && row.country.trim() !== user.country) {
      throw notFound('asset');
    }
    return row;
  }

  private async moves(assetId: string): Promise<AssetMoveView[]> {
    const rows = (await this.db.query(
      `SELECT * FROM asset_moves WHERE asset_id = $1 ORDER BY at, id`,
      [assetId],
    )) as MoveRow[];
    return rows.map((m) => ({
      id: m.id,
      fromStatus: m.from_status,
      toStatus: m.to_status,
      mlaReference: m.mla_reference,
      ...(m.note !== null ? { note: m.note } : {}),
      actor: { userId: m.actor_id, username: m.actor_username },
      at: new Date(m.at).toISOString(),
    }));
  }
}

interface LockedRequest {
  requesting_country: string;
  content: Record<string, unknown>;
  request_status: string;
}

function requestOf(row: LockedRequest) {
  return {
    requestingCountry: row.requesting_country.trim(),
    content: row.content,
    status: row.request_status,
  };
}

function moneyOf(r: { currency: string; amount: string }): Money {
  return { currency: r.currency.trim(), amount: decimal(r.amount) };
}

function assetView(r: AssetRow): AssetView {
  return {
    id: r.id,
    requestId: r.request_id,
    reference: r.reference,
    country: r.country.trim(),
    externalReference: r.external_reference,
    itemIndex: r.item_index,
    type: r.type,
    description: r.description,
    identifiers: r.identifiers,
    holder: r.holder,
    estimatedValue:
      r.amount !== null && r.currency !== null
        ? { amount: decimal(r.amount), currency: r.currency.trim() }
        : null,
    status: r.status,
    version: r.version,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}
