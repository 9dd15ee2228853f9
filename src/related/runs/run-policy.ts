/**
 * Prefect's run policies (FlowRunPolicy, TaskRunPolicy) as stored: its defaults, in its key order, with the
 * deprecated fields carried over the way its `set_run_policy_deprecated_fields` validator does.
 */

/** Python's `not value` for a JSON value: the test Prefect's validator uses for "the new field is not set". */
const isEmpty = (v: unknown): boolean =>
  v === undefined ||
  v === null ||
  v === false ||
  v === 0 ||
  v === '' ||
  (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && Object.keys(v).length === 0);

/** A policy object with Prefect's defaults, in its key order; unknown keys are dropped. */
export function withPolicyDefaults(
  defaults: Record<string, unknown>,
  given: Record<string, unknown> | null | undefined,
): Record<string, unknown> {
  // Prefect's set_run_policy_deprecated_fields, on the policy as sent: the old names fill the new ones when those
  // are empty (Python truthiness) and the old ones are set and not 0.
  const policy: Record<string, unknown> = { ...given };
  const setNonZero = (v: unknown) => v !== undefined && v !== null && v !== 0 && v !== false;
  if (isEmpty(policy.retries) && setNonZero(policy.max_retries)) policy.retries = policy.max_retries;
  if (isEmpty(policy.retry_delay) && setNonZero(policy.retry_delay_seconds))
    policy.retry_delay = policy.retry_delay_seconds;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(defaults)) out[key] = policy[key] ?? value;
  return out;
}
