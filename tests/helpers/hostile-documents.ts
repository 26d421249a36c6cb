// GraphQL documents built to cost the server as much CPU as possible before it can refuse them, each sent as a
// request body just under the 1 MiB limit: fragments spread twice per level, aliases, repeated fields,
// directives, nesting, variables, long literals, and list sizes multiplied. Shared by the test and the bench.

export interface HostileDocument {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  /** extensions.code of the refusal ('none': a harmless document that is answered). */
  code: string;
}

/** What fits in the request body with room for JSON quoting and the other keys. */
export const HOSTILE_BODY_BYTES = 1024 * 1024 - 4096;

/** `unit(i)` repeated until the document reaches the body size. */
function fill(prefix: string, unit: (i: number) => string, suffix: string, bytes = HOSTILE_BODY_BYTES): string {
  const parts = [prefix];
  let size = prefix.length + suffix.length;
  for (let i = 0; ; i++) {
    const part = unit(i);
    if (size + part.length > bytes) break;
    parts.push(part);
    size += part.length;
  }
  parts.push(suffix);
  return parts.join('');
}

/** F1 { ...F0 ...F0 }, F2 { ...F1 ...F1 }, ...: 2^levels fields once expanded, from a tiny document. */
function doublingFragments(levels: number, base: string): string {
  const fragments = [`fragment F0 on Query { ${base} }`];
  for (let level = 1; level <= levels; level++) {
    fragments.push(`fragment F${level} on Query { ...F${level - 1} ...F${level - 1} }`);
  }
  return `{ ...F${levels} }\n${fragments.join('\n')}`;
}

/** Nested selections `levels` deep through monitor → alerts → monitor → ... */
function deep(levels: number): string {
  let open = '';
  let close = '';
  for (let level = 0; level < levels; level++) {
    open += level % 2 === 0 ? 'alerts { monitor { ' : '';
    close += level % 2 === 0 ? '} } ' : '';
  }
  return `{ ${open} id ${close}}`;
}

export function hostileDocuments(): HostileDocument[] {
  return [
    {
      name: 'fragments doubling, 24 levels (the reported 5 s document)',
      query: doublingFragments(24, 'health { ok }'),
      code: 'QUERY_TOO_COSTLY',
    },
    {
      name: 'fragments doubling, 60 levels',
      query: doublingFragments(60, 'publicStatus { id name }'),
      code: 'QUERY_TOO_COSTLY',
    },
    {
      name: 'fragments doubling over aliases',
      query: doublingFragments(30, 'a: health { ok } b: health { ok }'),
      code: 'QUERY_TOO_COSTLY',
    },
    { name: 'aliases, 1 MiB', query: fill('{ ', (i) => `a${i}: health { ok } `, '}'), code: 'QUERY_TOO_COSTLY' },
    {
      name: 'aliases with different arguments (one database batch each)',
      query: `{ ${Array.from({ length: 40 }, (_, i) => `s${i}: publicStatus { stats(from: "2020-01-0${(i % 9) + 1}T00:00:00Z") { checks } }`).join(' ')} }`,
      code: 'QUERY_TOO_COSTLY',
    },
    { name: 'repeated fields, 1 MiB', query: fill('{ ', () => 'health { ok } ', '}'), code: 'QUERY_TOO_COSTLY' },
    // The most the overlapping-fields rule can be made to compare within the token limit: answered, quickly.
    { name: 'repeated fields, within the token limit', query: `{ ${'health { ok } '.repeat(148)}}`, code: 'none' },
    {
      name: 'same field, different arguments, within the token limit',
      query: `{ ${Array.from({ length: 64 }, (_, i) => `monitor(id: ${i}) { id }`).join(' ')} }`,
      code: 'GRAPHQL_VALIDATION_FAILED',
    },
    {
      name: 'directives, 1 MiB',
      query: fill('{ health ', () => '@include(if: true) ', '{ ok } }'),
      code: 'QUERY_TOO_COSTLY',
    },
    {
      name: 'directives, within the token limit',
      query: `{ health ${'@skip(if: false) '.repeat(30)}{ ok } }`,
      code: 'QUERY_TOO_COSTLY',
    },
    { name: 'nesting, 1 MiB of braces', query: fill('', () => '{ a ', ''), code: 'QUERY_TOO_COSTLY' },
    { name: 'nesting, 40 levels', query: deep(40), code: 'QUERY_TOO_DEEP' },
    {
      name: 'variables, 1 MiB of definitions',
      query: fill('query (', (i) => `$v${i}: Int `, ') { health { ok } }'),
      code: 'QUERY_TOO_COSTLY',
    },
    {
      name: 'variables, 1 MiB of values',
      query: 'query ($ids: [ID!]) { health { ok } }',
      variables: { ids: Array.from({ length: 120_000 }, (_, i) => String(i % 100_000)) },
      code: 'GRAPHQL_VALIDATION_FAILED',
    },
    {
      name: 'a 1 MiB string literal',
      query: `{ publicStatus { stats(from: "${'9'.repeat(HOSTILE_BODY_BYTES - 100)}") { checks } } }`,
      code: 'QUERY_TOO_COSTLY',
    },
    {
      name: 'a 1 MiB list literal',
      query: fill('{ monitors(tag: [', (i) => `${i % 10},`, ']) { id } }'),
      code: 'QUERY_TOO_COSTLY',
    },
    {
      name: 'a 1 MiB comment',
      query: `# ${'x'.repeat(HOSTILE_BODY_BYTES - 100)}\n{ publicStatus { stats { series(resolutionSeconds: 1) { start } } } }`,
      code: 'QUERY_TOO_COSTLY',
    },
    // Comments are not tokens, but the lexer reads each one (JSON escapes the \r: 8 bytes a line in the body).
    {
      name: 'comments, 1 MiB of `#` lines',
      query: `${'#     \r'.repeat(Math.floor((HOSTILE_BODY_BYTES - 100) / 8))}{ health { ok } }`,
      code: 'QUERY_TOO_COSTLY',
    },
    {
      name: 'every monitor with 1,000 results',
      query: '{ monitors { results(first: 1000) { nodes { id isUp latencyMs } } } }',
      code: 'QUERY_TOO_COSTLY',
    },
    {
      name: 'the public series of every monitor at 1 s',
      query: '{ publicStatus { stats(window: YEAR) { series(resolutionSeconds: 1) { start checks } } } }',
      code: 'QUERY_TOO_COSTLY',
    },
    {
      name: 'a page size in a variable',
      query: 'query ($n: Int) { monitors { results(first: $n) { nodes { id isUp latencyMs } } } }',
      variables: { n: 1000 },
      code: 'QUERY_TOO_COSTLY',
    },
  ];
}

/** A raw JSON request body (too deep or too wide for JSON.stringify to build quickly) and where it is sent. */
export interface HostileBody {
  name: string;
  /** The whole body, under the 1 MiB limit. */
  body: string;
}

/** JSON that V8 parses slowly, 250 ms for 1 MiB of nesting: refused by a scan before JSON.parse. */
export function hostileBodies(): HostileBody[] {
  const levels = (HOSTILE_BODY_BYTES - 100) / 2;
  const members = fill('', (i) => `"k${i}":1,`, '"end":1', HOSTILE_BODY_BYTES - 100);
  return [
    {
      name: '1 MiB of nested lists',
      body: `{"query":"{ health { ok } }","variables":{"x":${'['.repeat(levels)}${']'.repeat(levels)}}}`,
    },
    { name: '1 MiB of object members', body: `{"query":"{ health { ok } }","variables":{"x":{${members}}}}` },
  ];
}
