// `npm run bench:limits` (also part of `npm run bench`): the CPU time the server spends on each hostile GraphQL
// document before refusing it — JSON body, parse, validation and cost, in-process, with the real schema and the
// same Envelop plugins as /graphql (no network, no database). Target: under 50 ms for every document.
import { createYoga } from 'graphql-yoga';
import { checkCost, queryLimits } from '../server/graphql/limits.ts';
import { schema } from '../server/graphql/schema.ts';
import { jsonShapeProblem } from '../server/json-limits.ts';
import { hostileBodies, hostileDocuments, type HostileDocument } from '../tests/helpers/hostile-documents.ts';

const TARGET_MS = 50;
const RUNS = Number(process.env.BENCH_LIMITS_RUNS ?? 11);

// The validation cache off: every run measures the whole work, as for a document seen for the first time.
const yoga = createYoga({ schema, plugins: [queryLimits()], parserAndValidationCache: false, logging: false });

/** Time to refusal of one request body, and the code it was refused with (null: it was not refused). */
function refuse(body: string): { ms: number; code: string | null } {
  const started = performance.now();
  // The scan /graphql and REST run on a body before JSON.parse (json-limits.ts).
  if (jsonShapeProblem(body)) return { ms: performance.now() - started, code: 'BAD_REQUEST' };
  const params = JSON.parse(body) as { query: string; variables?: Record<string, unknown> };
  const enveloped = yoga.getEnveloped({ params });
  let errors: readonly { extensions?: Record<string, unknown> }[] = [];
  try {
    const document = enveloped.parse(params.query);
    errors = enveloped.validate(enveloped.schema, document);
    // The cost, as the plugin checks it when execution starts (no resolver runs here).
    if (!errors.length) errors = checkCost(enveloped.schema, document, params.variables, null, {});
  } catch (error) {
    errors = [error as { extensions?: Record<string, unknown> }];
  }
  const ms = performance.now() - started;
  return { ms, code: (errors[0]?.extensions?.code as string | undefined) ?? (errors.length ? 'error' : null) };
}

function measure(document: HostileDocument & { body?: string }) {
  const body = document.body ?? JSON.stringify({ query: document.query, variables: document.variables });
  const times: number[] = [];
  let code: string | null = null;
  refuse(body); // warm the JIT
  for (let run = 0; run < RUNS; run++) {
    const result = refuse(body);
    times.push(result.ms);
    code = result.code;
  }
  times.sort((a, b) => a - b);
  return {
    name: document.name,
    expected: document.code,
    bytes: body.length,
    code,
    median: times[Math.floor(times.length / 2)]!,
    max: times.at(-1)!,
  };
}

const rows = [];
for (const document of hostileDocuments()) rows.push(measure(document));
for (const { name, body } of hostileBodies())
  rows.push(measure({ name: `JSON body: ${name}`, query: '', body, code: 'BAD_REQUEST' }));
const width = Math.max(...rows.map((row) => row.name.length));
console.log(
  `${'document'.padEnd(width)}  ${'bytes'.padStart(8)}  ${'median ms'.padStart(9)}  ${'max ms'.padStart(7)}  refused with`,
);
for (const row of rows) {
  console.log(
    `${row.name.padEnd(width)}  ${String(row.bytes).padStart(8)}  ${row.median.toFixed(2).padStart(9)}  ${row.max.toFixed(2).padStart(7)}  ${row.code ?? (row.expected === 'none' ? 'answered' : 'NOT REFUSED')}`,
  );
}
// The median of each document's runs is its figure (a single run on a shared machine may wait for a core).
const worst = rows.reduce((a, b) => (b.median > a.median ? b : a));
const slowest = rows.reduce((a, b) => (b.max > a.max ? b : a));
const notRefused = rows.filter((row) => row.code === null && row.expected !== 'none');
console.log(`\nworst refusal: ${worst.median.toFixed(2)} ms median (${worst.name}); target < ${TARGET_MS} ms each`);
console.log(`slowest single run: ${slowest.max.toFixed(2)} ms (${slowest.name})`);
if (worst.median >= TARGET_MS || notRefused.length) {
  console.log(notRefused.length ? `NOT REFUSED: ${notRefused.map((row) => row.name).join(', ')}` : 'OVER TARGET');
  process.exitCode = 1;
}
