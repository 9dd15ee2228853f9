/** Prefect's KeyValueLabels: flat string/number/boolean values. */
export type KeyValueLabels = Record<string, string | number | boolean>;

/**
 * Label inheritance (compat L1): later layers win on key conflicts; a null or missing layer adds nothing.
 * Object.fromEntries defines each key as an own property, so a `__proto__` key is kept as the label it is; an
 * assignment (Object.assign, `out[key] = value`) would set the prototype instead and drop the label.
 */
export function mergeLabels(...layers: (KeyValueLabels | null | undefined)[]): KeyValueLabels {
  return Object.fromEntries(layers.flatMap((layer) => (layer ? Object.entries(layer) : []))) as KeyValueLabels;
}
