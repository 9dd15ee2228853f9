/**
 * One load run with autocannon: a fixed number of connections for a fixed time (or until a
 * request budget is spent), each request built by the scenario's generator. Latencies are taken
 * from autocannon's per-response timings (sub-millisecond, unlike its millisecond histogram).
 */
import autocannon from 'autocannon';
import { onStopping } from './processes';
import type { RequestSpec } from './scenarios';

let active: autocannon.Instance | undefined;
onStopping(() => active?.stop());

export interface LoadOptions {
  url: string;
  connections: number;
  durationS: number;
  maxRequests?: number;
  expectedStatus: number;
  next(): RequestSpec;
}

export interface LoadStats {
  requests: number;
  rps: number;
  /** Latency percentiles in ms over the answers with the expected status. */
  p50: number;
  p99: number;
  /** Answers with another status, transport errors and timeouts. */
  unexpected: number;
  errors: number;
  /** autocannon's run time (whole seconds for budget-limited runs). */
  durationS: number;
  statuses: Record<string, number>;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

function percentile(sorted: Float64Array, q: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function runLoad(opts: LoadOptions): Promise<LoadStats> {
  return new Promise((resolve, reject) => {
    let latencies = new Float64Array(1 << 16);
    let count = 0;
    let unexpected = 0;
    const instance = autocannon(
      {
        url: opts.url,
        connections: opts.connections,
        duration: opts.durationS,
        maxOverallRequests: opts.maxRequests,
        timeout: 30,
        requests: [
          {
            setupRequest: (req) => {
              const spec = opts.next();
              return spec.body === undefined
                ? { ...req, method: spec.method, path: spec.path }
                : {
                    ...req,
                    method: spec.method,
                    path: spec.path,
                    headers: JSON_HEADERS,
                    body: JSON.stringify(spec.body),
                  };
            },
          },
        ],
      },
      (err, result) => {
        clearTimeout(watchdog);
        active = undefined;
        if (err) return reject(err);
        const sorted = latencies.subarray(0, count).sort();
        const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([s, v]) => [s, v.count]));
        const requests = Object.values(statuses).reduce((a, b) => a + b, 0);
        resolve({
          requests,
          // Own clock: autocannon ends runs on its 1 s sampling tick, which would dilute short
          // budget-limited runs (bulk delete).
          rps: lastResponse > started ? count / (Number(lastResponse - started) / 1e9) : 0,
          p50: percentile(sorted, 0.5),
          p99: percentile(sorted, 0.99),
          unexpected: unexpected + result.errors + result.timeouts,
          errors: result.errors + result.timeouts,
          durationS: result.duration,
          statuses,
        });
      },
    );
    active = instance;
    const started = process.hrtime.bigint();
    let lastResponse = started;
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      lastResponse = process.hrtime.bigint();
      if (status !== opts.expectedStatus) {
        unexpected++;
        return;
      }
      if (count === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[count++] = ms;
    });
    // A run never outlives its duration by much, whatever the server does.
    const watchdog = setTimeout(() => instance.stop(), (opts.durationS + 30) * 1000);
  });
}
