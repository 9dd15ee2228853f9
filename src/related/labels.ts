/** Prefect's KeyValueLabels: flat string/number/boolean values. */
export type KeyValueLabels = Record<string, string | number | boolean>;

/**
 * Label inheritance (contract section 10): later layers win on key conflicts; a null or
 * missing layer adds nothing.
 */
export function mergeLabels(...layers: (KeyValueLabels | null | undefined)[]): KeyValueLabels {
  return Object.assign({}, ...layers.filter((layer): layer is KeyValueLabels => !!layer)) as KeyValueLabels;
}
