// The asset register's follow-up chain (bilateral MLA steps). PURE: enums only.
import { AssetStatus } from './enums';

const CHAIN: readonly AssetStatus[] = [
  AssetStatus.IDENTIFIED,
  AssetStatus.FREEZE_REQUESTED,
  AssetStatus.FROZEN,
  AssetStatus.SEIZED,
  AssetStatus.CONFISCATED,
  AssetStatus.RETURNED,
];

/** No further step after these. */
export const ASSET_FINAL_STATUSES: readonly AssetStatus[] = [
  AssetStatus.RETURNED,
  AssetStatus.RELEASED,
];

/**
 * Forward along identified -> freeze requested -> frozen -> seized -> confiscated -> returned,
 * skipping steps allowed (national law may seize without a prior freeze); RELEASED from any
 * non-final status (a measure lifted, or a confiscation overturned). Never backwards.
 */
export function canMoveAsset(from: AssetStatus, to: AssetStatus): boolean {
  if (ASSET_FINAL_STATUSES.includes(from)) return false;
  if (to === AssetStatus.RELEASED) return true;
  const i = CHAIN.indexOf(from);
  const j = CHAIN.indexOf(to);
  return i >= 0 && j > i;
}
