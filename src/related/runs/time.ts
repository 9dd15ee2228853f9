/** "Now" as Prefect renders timestamps: UTC with microseconds and a Z. */
export function isoNow(): string {
  const ms = performance.timeOrigin + performance.now();
  const whole = Math.floor(ms);
  const micros = Math.min(999, Math.floor((ms - whole) * 1000));
  return `${new Date(whole).toISOString().slice(0, 23)}${String(micros).padStart(3, '0')}Z`;
}

const ISO_WITH_OFFSET = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A coerced request timestamp (validators.ts `coerceDateTime`: ISO text with an offset) in
 * UTC with six fraction digits, keeping the microseconds a JS Date would drop.
 */
export function toUtcMicros(iso: string): string {
  const m = ISO_WITH_OFFSET.exec(iso);
  if (!m) return iso;
  const utc = new Date(`${m[1]}${m[3]}`).toISOString().slice(0, 19);
  return `${utc}.${(m[2] ?? '').padEnd(6, '0').slice(0, 6)}Z`;
}

/** Seconds from one ISO timestamp to another (millisecond precision is enough for run times). */
export function secondsBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 1000;
}
