// The layering of CONVENTIONS.md, checked by `npm run lint:deps`:
//   composition root (main.ts, app.ts)
//   → API layers (rest/, graphql/, http.ts, metrics/)
//   → domain folders (alerts/, auth/, checks/, events/, maintenance/, monitors/, results/, scheduler/, stats/)
//   → db/ → types/ (the records every layer shares; imports nothing)
// plus the small shared modules at the top of server/ (errors.ts, validation.ts, ...) that any layer may use.
// tests/ are not cruised (they may reach into any module); client/ only must stay apart from server/.

/** The edges: what requests and scrapes come in through. */
const API = '^server/(rest|graphql|metrics)/|^server/(http|static|security-headers)\\.ts$';
const ROOT = '^server/(main|app)\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      severity: 'error',
      comment: 'Folders depend on each other one way: find which side owns the shared piece and move it there.',
      scope: 'folder',
      from: { path: '^server/' },
      to: { path: '^server/', circular: true },
    },
    {
      name: 'no-module-cycles',
      severity: 'error',
      comment: 'A module cycle makes load order matter and hides which module owns what.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-not-to-api',
      severity: 'error',
      comment: 'Domain modules and db/ never import the API layers or the composition root: the API calls the domain.',
      from: { path: '^server/', pathNot: `${API}|${ROOT}` },
      to: { path: `${API}|${ROOT}` },
    },
    {
      name: 'api-layers-apart',
      severity: 'error',
      comment: 'REST and GraphQL are two edges over the same domain: neither builds on the other.',
      from: { path: '^server/(rest|graphql)/' },
      to: { path: '^server/(rest|graphql)/', pathNot: '^server/$1/' },
    },
    {
      name: 'only-main-imports-app',
      severity: 'error',
      comment: 'app.ts wires everything; only main.ts (and tests) start it.',
      from: { path: '^server/', pathNot: '^server/main\\.ts$' },
      to: { path: ROOT },
    },
    {
      name: 'api-not-to-db',
      severity: 'error',
      comment: 'The API layers call domain services; only domain modules talk to db/.',
      from: { path: API },
      to: { path: '^server/db/' },
    },
    {
      name: 'db-imports-nothing-above',
      severity: 'error',
      comment:
        'db/ maps rows to the records in types/ and knows no domain folder: a type db/ needs lives in types/ or in db/ ' +
        '(it may find its own files, the migrations and the cluster template, through project-files.ts).',
      from: { path: '^server/db/' },
      to: { path: '^server/', pathNot: '^server/(db|types)/|^server/project-files\\.ts$' },
    },
    {
      name: 'types-import-nothing',
      severity: 'error',
      comment: 'types/ holds plain records shared by every layer: it depends on nothing, so it creates no loop.',
      from: { path: '^server/types/' },
      to: { pathNot: '^server/types/' },
    },
    {
      name: 'checks-know-no-storage',
      severity: 'error',
      comment: 'A check knows nothing about the database (CONVENTIONS: checks/).',
      from: { path: '^server/checks/' },
      to: { path: '^server/db/' },
    },
    {
      name: 'only-db-talks-sql',
      severity: 'error',
      comment: 'Only db/ imports the SQL drivers (pg, PGlite).',
      from: { path: '^server/', pathNot: '^server/db/' },
      to: { path: 'node_modules/(@types/)?(pg|pg-[^/]+|@electric-sql/pglite)/' },
    },
    {
      name: 'through-the-index',
      severity: 'error',
      comment:
        'Import another folder through its index.ts, its public surface (graphql/ has none: its entry is server.ts; inside graphql/ the Pothos layout applies instead).',
      from: { path: '^server/([^/]+)/' },
      to: {
        path: '^server/[^/]+/',
        pathNot: ['^server/$1/', '^server/[^/]+/index\\.ts$', '^server/graphql/server\\.ts$'],
      },
    },
    {
      name: 'through-the-index',
      severity: 'error',
      comment: 'The modules at the top of server/ import a folder through its index.ts too.',
      from: { path: '^server/[^/]+\\.ts$' },
      to: { path: '^server/[^/]+/', pathNot: ['^server/[^/]+/index\\.ts$', '^server/graphql/server\\.ts$'] },
    },
    {
      name: 'no-dev-deps-in-server',
      severity: 'error',
      comment: 'The production image installs without devDependencies (npm ci --omit=dev).',
      from: { path: '^server/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'client-apart',
      severity: 'error',
      comment: 'The dashboard talks to the server over GraphQL only; neither imports the other.',
      from: { path: '^client/' },
      to: { path: '^(server|tests)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing fails at run time.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^client/dist/' },
    // Type-only imports count: a loop through types is still a loop for the reader.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
