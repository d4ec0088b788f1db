// Every patch id the workflows use with patched()/deprecatePatch(), in one place: the replay
// suite checks that the committed histories cover both sides of each (with and without its
// marker). A patch is removed from here only after deprecatePatch() has outlived every history
// recorded before it.

/**
 * 2026-11-29, jurisdictionWorkflow: the parent hears of a country's change only once the track's
 * projection (its row and audit entries) is written, so the request never records a country's
 * change before the country's own record does. Older histories replay the old order: the signal
 * in the same workflow task as the projection.
 */
export const NOTIFY_PARENT_AFTER_PROJECTION = 'jurisdiction-notifies-parent-after-projection';

export const PATCHES = [NOTIFY_PARENT_AFTER_PROJECTION] as const;
