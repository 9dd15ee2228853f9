/** Result records, the printed tables and the results files. */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadStats } from './load';

export interface TargetSummary {
  /** Medians over the measured rounds. */
  rps: number;
  p50: number;
  p99: number;
  runs: LoadStats[];
  /** The one-connection latency pass (read scenarios). */
  latency1?: { p50: number; p99: number; rps: number };
  rssMaxMb: number | null;
}

export interface ScenarioResult {
  key: string;
  title: string;
  read: boolean;
  status: 'measured' | 'skipped';
  reason?: string;
  notes: string[];
  app?: TargetSummary;
  /** The raw floor (node:http + pg). */
  baseline?: TargetSummary;
  /** app / raw floor. */
  ratio?: number;
  /** The framework floor (NestJS on Express + pg, nothing else). */
  framework?: TargetSummary;
  /** app / framework floor. */
  ratioFramework?: number;
}

export interface BenchResult {
  version: 1;
  date: string;
  flows: number;
  /** The seed's key (SEEDS in seed.ts); absent in results from before there were two. */
  seed?: string;
  options: Record<string, unknown>;
  machine: Record<string, unknown>;
  scenarios: ScenarioResult[];
  /** Minimum app / raw floor. */
  minRatio: number | null;
  /** Minimum app / framework floor. */
  minRatioFramework?: number | null;
  appRssMaxMb: number | null;
  frameworkRssMaxMb?: number | null;
  baselineRssMaxMb?: number | null;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function summarize(runs: LoadStats[], rssMaxMb: number | null): TargetSummary {
  return {
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    runs,
    rssMaxMb,
  };
}

// A missing figure (no answer within a run, saved as null in the JSON) prints as '-'.
const missing = (n: number | null | undefined): n is null | undefined =>
  n === undefined || n === null || Number.isNaN(n);
const fmtInt = (n: number | null | undefined) => (missing(n) ? '-' : Math.round(n).toLocaleString('en-US'));
const fmtMs = (n: number | null | undefined) => (missing(n) ? '-' : n < 10 ? n.toFixed(2) : n.toFixed(1));

/** A table row that is just a label and a remark (a skipped scenario): it does not widen the columns. */
export class Remark {
  constructor(
    readonly label: string,
    readonly text: string,
  ) {}
}

/** A plain-text table: first column left-aligned, the others right-aligned. */
export function table(header: string[], rows: Array<string[] | Remark>): string {
  const full = rows.filter((r): r is string[] => Array.isArray(r));
  const labels = rows.map((r) => (Array.isArray(r) ? r[0] : r.label));
  const widths = header.map((h, i) =>
    Math.max(h.length, ...(i === 0 ? labels.map((l) => [l]) : full).map((r) => (r[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  const render = (r: string[] | Remark) => (Array.isArray(r) ? line(r) : `${r.label.padEnd(widths[0])}  ${r.text}`);
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(render)].join('\n');
}

export function mainTable(result: BenchResult): string {
  const rows = result.scenarios.map((s) =>
    s.status === 'skipped'
      ? new Remark(s.title, `skipped (${s.reason})`)
      : [
          s.title,
          fmtInt(s.app?.rps),
          fmtInt(s.baseline?.rps),
          s.ratio === undefined ? '-' : s.ratio.toFixed(2),
          fmtInt(s.framework?.rps),
          s.ratioFramework === undefined ? '-' : s.ratioFramework.toFixed(2),
          fmtMs(s.app?.p50),
          fmtMs(s.app?.p99),
          fmtMs(s.baseline?.p50),
          fmtMs(s.baseline?.p99),
          s.app?.rssMaxMb === null || s.app === undefined ? '-' : String(s.app.rssMaxMb),
        ],
  );
  return table(
    [
      'scenario',
      'app req/s',
      'raw req/s',
      'ratio',
      'fw req/s',
      'ratio fw',
      'app p50',
      'app p99',
      'raw p50',
      'raw p99',
      'app RSS MB',
    ],
    rows,
  );
}

export function latencyTable(result: BenchResult): string {
  const rows = result.scenarios
    .filter((s) => s.read && s.status === 'measured')
    .map((s) => [
      s.title,
      fmtMs(s.app?.latency1?.p50),
      fmtMs(s.app?.latency1?.p99),
      fmtMs(s.baseline?.latency1?.p50),
      fmtMs(s.baseline?.latency1?.p99),
    ]);
  return table(['scenario (1 connection, ms)', 'app p50', 'app p99', 'base p50', 'base p99'], rows);
}

/** The latest result per N found in `dir` for one seed (one file per date, N and seed). */
export function loadResults(dir: string, seed = 'independent'): BenchResult[] {
  if (!existsSync(dir)) return [];
  const byN = new Map<number, BenchResult>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    try {
      const r = JSON.parse(readFileSync(join(dir, file), 'utf8')) as BenchResult;
      if (r.version !== 1 || (r.seed ?? 'independent') !== seed) continue;
      const seen = byN.get(r.flows);
      if (!seen || seen.date < r.date) byN.set(r.flows, r);
    } catch {
      /* not a result file */
    }
  }
  return [...byN.values()].sort((a, b) => a.flows - b.flows);
}

export const formatN = (n: number) =>
  n >= 1e6 && n % 1e5 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 100 === 0 ? `${n / 1e3}k` : String(n);

/** App latency at one connection (p50 / p99, ms) for each read scenario, one column per N. */
export function latencyByNTable(results: BenchResult[]): string {
  const titles = new Map<string, string>();
  for (const r of results) for (const s of r.scenarios) if (s.read && s.app?.latency1) titles.set(s.key, s.title);
  const rows = [...titles].map(([key, title]) => [
    title,
    ...results.map((r) => {
      const l = r.scenarios.find((s) => s.key === key)?.app?.latency1;
      return l ? `${fmtMs(l.p50)} / ${fmtMs(l.p99)}` : '-';
    }),
  ]);
  return table(['app p50 / p99 ms, 1 conn', ...results.map((r) => `N=${formatN(r.flows)}`)], rows);
}

/** Writes `<dir>/<YYYY-MM-DD>-<N>[-<seed>].json` (the latest run for that day and N) and returns its path. */
export function writeResult(dir: string, result: BenchResult): string {
  mkdirSync(dir, { recursive: true });
  const seed = result.seed && result.seed !== 'independent' ? `-${result.seed}` : '';
  const file = join(dir, `${result.date.slice(0, 10)}-${result.flows}${seed}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 1)}\n`);
  return file;
}
