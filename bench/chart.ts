/**
 * The results chart, as hand-written SVG: app/baseline throughput ratio per scenario for the
 * current run, and (when results for several N exist) app latency at one connection against N.
 */
import { BenchResult, formatN } from './report';

const WIDTH = 760;
const COLORS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];
const TARGET_RATIO = 0.7;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const text = (x: number, y: number, s: string, attrs = '') =>
  `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${esc(s)}</text>`;
const line = (x1: number, y1: number, x2: number, y2: number, attrs: string) =>
  `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" ${attrs}/>`;

/** Horizontal bars, one per scenario; dashed lines at the 0.7 target and at parity (1.0). */
function ratioPanel(result: BenchResult, top: number): { svg: string[]; height: number } {
  const left = 230;
  const right = WIDTH - 60;
  const row = 22;
  const maxRatio = Math.max(1.2, ...result.scenarios.map((s) => s.ratio ?? 0));
  const x = (r: number) => left + (r / maxRatio) * (right - left);
  const svg = [
    text(
      10,
      top + 16,
      `Throughput ratio app / baseline, N = ${formatN(result.flows)} flows, ${result.date.slice(0, 10)}`,
      'font-weight="bold"',
    ),
  ];
  const y0 = top + 30;
  result.scenarios.forEach((s, i) => {
    const y = y0 + i * row;
    svg.push(text(left - 8, y + 15, s.title, 'text-anchor="end"'));
    if (s.ratio === undefined) {
      const reason = s.reason && s.reason.length > 60 ? `${s.reason.slice(0, 57)}...` : s.reason;
      svg.push(text(left + 4, y + 15, `skipped${reason ? ` (${reason})` : ''}`, 'fill="#888"'));
      return;
    }
    const fill = s.ratio >= TARGET_RATIO ? '#4c9a5b' : '#c44e52';
    svg.push(
      `<rect x="${left}" y="${y + 3}" width="${(x(s.ratio) - left).toFixed(1)}" height="${row - 6}" fill="${fill}"/>`,
    );
    svg.push(text(x(s.ratio) + 4, y + 15, s.ratio.toFixed(2)));
  });
  const bottom = y0 + result.scenarios.length * row;
  for (const [r, label] of [
    [TARGET_RATIO, `target ${TARGET_RATIO}`],
    [1, 'parity'],
  ] as const) {
    svg.push(line(x(r), y0 - 4, x(r), bottom, 'stroke="#333" stroke-dasharray="4 3"'));
    svg.push(text(x(r), bottom + 14, label, 'text-anchor="middle" font-size="11"'));
  }
  return { svg, height: bottom + 24 - top };
}

/** p99 (solid) at one connection against N, both axes logarithmic, one line per read scenario. */
function latencyPanel(results: BenchResult[], top: number): { svg: string[]; height: number } {
  const svg = [
    text(
      10,
      top + 16,
      'App latency at 1 connection against N (p99 solid, p50 dotted; log scales)',
      'font-weight="bold"',
    ),
  ];
  if (results.length < 2) {
    svg.push(
      text(10, top + 38, 'Needs results for several N: run with --flows 10000, 100000, 1000000.', 'fill="#888"'),
    );
    return { svg, height: 50 };
  }
  const left = 70;
  const right = WIDTH - 220;
  const plotTop = top + 30;
  const plotBottom = plotTop + 260;
  const keys = [...new Set(results.flatMap((r) => r.scenarios.filter((s) => s.app?.latency1).map((s) => s.key)))];
  const values = results
    .flatMap((r) => r.scenarios.flatMap((s) => (s.app?.latency1 ? [s.app.latency1.p50, s.app.latency1.p99] : [])))
    .filter((v): v is number => typeof v === 'number');
  const lo = Math.floor(Math.log10(Math.max(0.01, Math.min(...values))));
  const hi = Math.ceil(Math.log10(Math.max(...values)));
  const nLo = Math.log10(results[0].flows);
  const nHi = Math.log10(results[results.length - 1].flows);
  const x = (n: number) => left + ((Math.log10(n) - nLo) / (nHi - nLo || 1)) * (right - left);
  const y = (ms: number) =>
    plotBottom - ((Math.log10(Math.max(ms, 10 ** lo)) - lo) / (hi - lo || 1)) * (plotBottom - plotTop);
  for (let e = lo; e <= hi; e++) {
    svg.push(line(left, y(10 ** e), right, y(10 ** e), 'stroke="#ddd"'));
    svg.push(text(left - 6, y(10 ** e) + 4, `${10 ** e} ms`, 'text-anchor="end" font-size="11"'));
  }
  for (const r of results) {
    svg.push(line(x(r.flows), plotTop, x(r.flows), plotBottom, 'stroke="#eee"'));
    svg.push(text(x(r.flows), plotBottom + 16, `N=${formatN(r.flows)}`, 'text-anchor="middle" font-size="11"'));
  }
  keys.forEach((key, i) => {
    const color = COLORS[i % COLORS.length];
    const title = results.flatMap((r) => r.scenarios).find((s) => s.key === key)?.title ?? key;
    for (const [field, dash] of [
      ['p99', ''],
      ['p50', ' stroke-dasharray="2 3"'],
    ] as const) {
      const points = results.flatMap((r) => {
        const l = r.scenarios.find((s) => s.key === key)?.app?.latency1;
        // A run with no answer in the latency pass saved null: leave the point out rather than plot it as 0.
        return l && typeof l[field] === 'number' ? [`${x(r.flows).toFixed(1)},${y(l[field]).toFixed(1)}`] : [];
      });
      svg.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${color}" stroke-width="2"${dash}/>`);
    }
    svg.push(
      line(right + 16, plotTop + 8 + i * 18, right + 36, plotTop + 8 + i * 18, `stroke="${color}" stroke-width="2"`),
    );
    svg.push(text(right + 42, plotTop + 12 + i * 18, title, 'font-size="11"'));
  });
  return { svg, height: plotBottom + 30 - top };
}

export function chartSvg(current: BenchResult, allResults: BenchResult[]): string {
  const ratios = ratioPanel(current, 0);
  const latency = latencyPanel(allResults, ratios.height + 10);
  const height = ratios.height + 10 + latency.height;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...ratios.svg,
    ...latency.svg,
    '</svg>',
    '',
  ].join('\n');
}
