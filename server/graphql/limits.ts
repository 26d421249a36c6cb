// Query limits, enforced before anything runs: the request body's JSON nesting and members before it is parsed
// (json-limits.ts), the document's length and its size in tokens while it is parsed (graphql-armor),
// its depth, aliases and directives before the standard validation (graphql-armor's rules, which measure each
// fragment once), and its cost, declared on the schema's fields (@pothos/plugin-complexity), before execution.
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { createComplexityRule } from '@pothos/plugin-complexity';
import {
  GraphQLError,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ParseOptions,
  type Source,
  type ValidationRule,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { jsonShapeProblem } from '../json-limits.ts';

export const QUERY_LIMITS = {
  /**
   * Lexical tokens in the document: bounds every later step, the standard validation included (its
   * overlapping-fields rule is quadratic in repeated fields). The largest dashboard query has about 200, as has
   * GraphiQL's introspection query.
   */
  tokens: 600,
  /**
   * Characters of the document: the lexer still reads comments, which are not tokens (1 MiB of `#` lines takes
   * about 100 ms). Large values belong in variables.
   */
  documentCharacters: 128 * 1024,
  /** Levels of fields, fragments flattened. */
  depth: 10,
  aliases: 20,
  directives: 20,
  /** Fields the answer could hold, lists multiplied by their page size (see complexity.ts). */
  cost: 2_000_000,
} as const;

const TOO_DEEP = 'QUERY_TOO_DEEP';
const TOO_COSTLY = 'QUERY_TOO_COSTLY';

function refusal(message: string, code: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

/** graphql-armor says "Syntax Error: Aliases limit of 20 exceeded, found 21."; the client gets that, with our code. */
function armorRefusal(error: unknown, code: string): GraphQLError {
  return refusal(error instanceof Error ? error.message.replace(/^Syntax Error: /, '') : String(error), code);
}

function parseWithTokenLimit(source: string | Source, options?: ParseOptions): DocumentNode {
  const length = typeof source === 'string' ? source.length : source.body.length;
  if (length > QUERY_LIMITS.documentCharacters) {
    throw refusal(
      `the document has ${length} characters; the limit is ${QUERY_LIMITS.documentCharacters}: pass large values as variables`,
      TOO_COSTLY,
    );
  }
  const parser = new MaxTokensParserWLexer(source, { ...options, n: QUERY_LIMITS.tokens });
  try {
    return parser.parseDocument();
  } catch (error) {
    if (error instanceof GraphQLError && /Token limit/.test(error.message)) throw armorRefusal(error, TOO_COSTLY);
    throw error;
  }
}

/** Each armor rule throws its refusal; run alone, one at a time, so the first one found is the answer. */
const SHAPE_RULES: Array<{ rule: ValidationRule; code: string }> = [
  // Fragments flattened: a spread is not a level of its own; each fragment is measured once, not per spread.
  { rule: maxDepthRule({ n: QUERY_LIMITS.depth, flattenFragments: true }), code: TOO_DEEP },
  { rule: maxAliasesRule({ n: QUERY_LIMITS.aliases }), code: TOO_COSTLY },
  { rule: maxDirectivesRule({ n: QUERY_LIMITS.directives }), code: TOO_COSTLY },
];

/** Depth, aliases and directives of a parsed document: the errors to answer with (empty when within limits). */
export function checkShape(schema: GraphQLSchema, document: DocumentNode): GraphQLError[] {
  for (const { rule, code } of SHAPE_RULES) {
    try {
      const errors = validate(schema, document, [rule]);
      if (errors.length) return errors.map((error) => armorRefusal(error, code));
    } catch (error) {
      return [armorRefusal(error, code)];
    }
  }
  return [];
}

/** The cost of a valid operation with its variables: the errors to answer with (empty when within the limit). */
export function checkCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variableValues: Record<string, unknown> | null | undefined,
  operationName: string | null | undefined,
  context: object,
): GraphQLError[] {
  const rule = createComplexityRule({
    variableValues: variableValues ?? {},
    operationName: operationName ?? undefined,
    context,
    validate: (result, report) => {
      if (result.complexity > QUERY_LIMITS.cost) {
        report(
          refusal(
            `query could return about ${result.complexity} fields; the limit is ${QUERY_LIMITS.cost}: ask for fewer items (first) or fields`,
            TOO_COSTLY,
          ),
        );
      }
    },
  });
  // Bad variables are reported here too: left to execution, which refuses them the same way.
  return validate(schema, document, [rule]).filter((error) => error.extensions?.code === TOO_COSTLY);
}

/**
 * The Envelop plugin. Shape limits answer before the standard validation (which then never sees a refused
 * document); the cost needs the variables, so it is measured when the operation starts, before any resolver.
 * Yoga caches validation by document only, which is why the cost is not a validation rule here.
 */
export function queryLimits(): Plugin {
  type Start = Parameters<NonNullable<Plugin['onExecute']>>[0] | Parameters<NonNullable<Plugin['onSubscribe']>>[0];
  const costGate = ({ args, setResultAndStopExecution }: Start) => {
    const context = (args.contextValue ?? {}) as object;
    const errors = checkCost(args.schema, args.document, args.variableValues, args.operationName, context);
    if (errors.length) setResultAndStopExecution({ errors });
  };
  return {
    onRequestParse({ request, requestParser, setRequestParser }) {
      if (request.method !== 'POST' || !requestParser) return;
      setRequestParser(async (incoming) => {
        const text = await incoming.clone().text();
        const form = incoming.headers.get('content-type')?.includes('application/x-www-form-urlencoded');
        const problem = jsonShapeProblem(form ? [...new URLSearchParams(text).values()].join('\n') : text);
        if (problem) {
          throw new GraphQLError(`request body refused: ${problem}`, {
            extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
          });
        }
        return requestParser(incoming);
      });
    },
    onParse({ setParseFn }) {
      setParseFn(parseWithTokenLimit);
    },
    onValidate({ params, setResult }) {
      const errors = checkShape(params.schema, params.documentAST);
      if (errors.length) setResult(errors);
    },
    onExecute: costGate,
    onSubscribe: costGate,
  };
}
