/** Command-line options of `npm run bench -- [options]`. */
import { join } from 'node:path';

export interface BenchOptions {
  flows: number;
  durationS: number;
  warmupS: number;
  rounds: number;
  connections: number;
  latencyDurationS: number;
  poolMax: number;
  deleteBatches: number;
  only?: string[];
  /** Seeds to bench, in order (SEEDS in seed.ts). */
  seeds: ('independent' | 'fleet')[];
  build: boolean;
  /** A/A test: a second baseline runs in place of the app. */
  aa: boolean;
  outDir: string;
}

const USAGE = `usage: npm run bench -- [options]
  --flows N             flows to seed (default 100000)
  --duration S          seconds per measured run (default 10)
  --warmup S            seconds of warm-up per target and scenario (default 2)
  --rounds R            measured runs per target, alternating app/baseline (default 2)
  --connections C       autocannon connections (default 10)
  --latency-duration S  seconds of the 1-connection latency pass per read scenario (default 5; 0 = off)
  --pool N              database pool size of both servers (DB_POOL_MAX, default 10)
  --delete-batches N    bulk-delete requests prepared per measured run (default 1000)
  --only a,b            run only these scenario keys
  --seeds a,b           seeds to bench, in order: independent (names, tags, pools unrelated) and fleet (correlated
                        by team); default both
  --no-build            start the existing dist/ build instead of running \`npm run build\` first
  --out DIR             results folder (default bench/results)
  --aa                  A/A test: a second baseline in place of the app (ratios show the noise; use --out
                        to keep it out of bench/results)
Environment: DATABASE_URL uses that server (the bench drops and recreates database flow_registry_bench on it)
instead of an embedded PostgreSQL.`;

export function parseOptions(argv: string[]): BenchOptions {
  const opts: BenchOptions = {
    flows: 100_000,
    durationS: 10,
    warmupS: 2,
    rounds: 2,
    connections: 10,
    latencyDurationS: 5,
    poolMax: 10,
    deleteBatches: 1000,
    seeds: ['independent', 'fleet'],
    build: true,
    aa: false,
    outDir: join(__dirname, 'results'),
  };
  const numeric: Record<string, keyof BenchOptions> = {
    '--flows': 'flows',
    '--duration': 'durationS',
    '--warmup': 'warmupS',
    '--rounds': 'rounds',
    '--connections': 'connections',
    '--latency-duration': 'latencyDurationS',
    '--pool': 'poolMax',
    '--delete-batches': 'deleteBatches',
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (flag in numeric) {
      const n = Number(value());
      if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} needs a number\n${USAGE}`);
      (opts[numeric[flag]] as number) = n;
    } else if (flag === '--only') opts.only = value().split(',');
    else if (flag === '--seeds') {
      const seeds = value().split(',');
      const unknown = seeds.filter((k) => k !== 'independent' && k !== 'fleet');
      if (!seeds.length || unknown.length) throw new Error(`--seeds takes independent and/or fleet\n${USAGE}`);
      opts.seeds = seeds as BenchOptions['seeds'];
    } else if (flag === '--no-build') opts.build = false;
    else if (flag === '--aa') opts.aa = true;
    else if (flag === '--out') opts.outDir = value();
    else throw new Error(`unknown option ${argv[i]}\n${USAGE}`);
  }
  if (opts.flows < 1 || opts.rounds < 1 || opts.connections < 1 || opts.durationS <= 0) {
    throw new Error(`--flows, --rounds, --connections and --duration must be positive\n${USAGE}`);
  }
  return opts;
}
