// The dashboard's GraphQL types (client/src/api/generated.ts) are what `npm run codegen` makes of the committed
// schema and the client's documents, and the generation refuses a document the schema no longer answers: the
// two ways a schema change that breaks the dashboard fails `npm run typecheck`.
import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config, { GENERATED_FILE } from '../../../codegen.ts';

const CODEGEN_TIMEOUT_MS = 120_000;

async function generated(overrides: Partial<typeof config> = {}): Promise<string> {
  const outputs: Array<{ filename: string; content: string }> = await generate(
    { ...config, ...overrides, silent: true },
    false,
  );
  const output = outputs.find((file) => file.filename === GENERATED_FILE);
  if (!output) throw new Error(`codegen wrote no ${GENERATED_FILE}`);
  return output.content;
}

describe(GENERATED_FILE, () => {
  it(
    'is what codegen generates (regenerate it with `npm run codegen` when this fails)',
    async () => {
      const committed = readFileSync(GENERATED_FILE, 'utf8');
      const fresh = await generated();
      // A plain boolean first, so the failure says what to do rather than only showing a long diff.
      expect(committed === fresh, `${GENERATED_FILE} is stale: run \`npm run codegen\` and commit the result`).toBe(
        true,
      );
      expect(committed).toBe(fresh);
    },
    CODEGEN_TIMEOUT_MS,
  );

  it(
    'cannot be generated once the schema renames a field the dashboard asks for',
    async () => {
      const schema = readFileSync('schema/schema.graphql', 'utf8');
      const renamed = schema.replace(/^(type CheckResult \{[^}]*?\n\s*)latencyMs:/m, '$1durationMs:');
      expect(renamed).not.toBe(schema);
      await expect(generated({ schema: renamed })).rejects.toThrow(/latencyMs/);
    },
    CODEGEN_TIMEOUT_MS,
  );
});
