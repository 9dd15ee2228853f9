/**
 * The import rules of ARCHITECTURE.md's layout, checked by `npm run lint` (depcruise):
 *   app files (main, app.*, entities, openapi, cli/) -> features (flows, related, health)
 *   -> query-filters -> prefect-compat -> database -> config
 * with http/ and logging/ as the app's own request plumbing beside them. A folder may import its own files and
 * anything to its right, never to its left, and no runtime import cycle exists anywhere.
 */
const layer = (from, allowed) => ({
  name: `layer-${from.replace(/[^a-z-]/g, '')}`,
  comment: `src/${from} may import only ${allowed.join(', ')} (and packages)`,
  severity: 'error',
  from: { path: `^src/${from}/` },
  to: { path: '^src/', pathNot: [`^src/${from}/`, ...allowed.map((a) => `^src/${a}(/|\\.)`)] },
});

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'no runtime import cycles', from: {}, to: { circular: true } },
    layer('config', ['types']),
    layer('database', ['config', 'types']),
    layer('logging', ['config']),
    layer('prefect-compat', ['database', 'config']),
    layer('query-filters', ['prefect-compat', 'database', 'config']),
    layer('flows', ['query-filters', 'prefect-compat', 'database', 'config']),
    layer('related', ['flows', 'query-filters', 'prefect-compat', 'database', 'config']),
    layer('health', ['database', 'config']),
    layer('admin', ['prefect-compat', 'config']),
    layer('logs', ['flows', 'related', 'query-filters', 'prefect-compat', 'database', 'config']),
    layer('events', ['related', 'http', 'prefect-compat', 'database', 'config']),
    layer('http', ['logging', 'prefect-compat', 'config']),
    {
      name: 'related-runs-is-shared',
      comment: 'related/runs is what flow runs and task runs share; it imports neither',
      severity: 'error',
      from: { path: '^src/related/runs/' },
      to: { path: '^src/related/(flow-runs|task-runs)/' },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      from: { orphan: true, pathNot: ['\\.d\\.ts$', '^src/main\\.ts$', '^src/cli/', '(^|/)migrations/'] },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    // Type-only imports vanish at compile time; they are no runtime arrow.
    tsPreCompilationDeps: false,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
