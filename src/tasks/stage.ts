/**
 * Where a task's change is after its run delivered a branch. A task in done/
 * is finished only when its change is on the base: until then its `stage`
 * says where the branch is. A done task without a stage ended without a
 * branch to merge (no code change), or was finished before stages existed;
 * both count as finished.
 *
 *   in_review ──checks pass──▶ approved ──▶ merging ──▶ merged
 *       ▲   └──a required check fails──▶ changes_requested
 *       └────────────the fix is delivered───────┘
 *
 * A task split into children (`tickfleet split`) waits as `split` and becomes
 * merged once every child is merged.
 */
export const DELIVERY_STAGES = ['in_review', 'changes_requested', 'approved', 'merging', 'merged', 'split'] as const;
export type DeliveryStage = (typeof DELIVERY_STAGES)[number];

export function isDeliveryStage(value: unknown): value is DeliveryStage {
  return typeof value === 'string' && (DELIVERY_STAGES as readonly string[]).includes(value);
}
