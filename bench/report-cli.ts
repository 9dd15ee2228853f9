/**
 * `npm run bench:report [-- dir]`: prints the tables of the latest saved result per N and redraws the
 * chart, without running anything (results: bench/results by default).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chartSvg } from './chart';
import { latencyByNTable, latencyTable, loadResults, mainTable } from './report';

const dir = process.argv[2] ?? join(__dirname, 'results');
const results = loadResults(dir);
if (!results.length) {
  console.error(`no results in ${dir}: run npm run bench first`);
  process.exit(1);
}
for (const result of results) {
  console.log(`\nN = ${result.flows.toLocaleString('en-US')} flows`);
  console.log(mainTable(result));
  console.log(latencyTable(result));
}
console.log('\nLatency against N (app p50 / p99 ms, 1 connection)');
console.log(latencyByNTable(results));
// The ratio panel shows the 100k run (the reference size) when there is one.
const reference = results.find((r) => r.flows === 100_000) ?? results[results.length - 1];
writeFileSync(join(dir, 'chart.svg'), chartSvg(reference, results));
