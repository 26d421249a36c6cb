// The published JSON Schema of configuration files (schema/vigie-config.schema.json) is the one the zod schema
// gives: `npm run schema` regenerates it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../server/config-file/index.ts';

describe('schema/vigie-config.schema.json', () => {
  it('is up to date with the configuration file schema (run npm run schema)', () => {
    const committed = JSON.parse(
      readFileSync(new URL('../../schema/vigie-config.schema.json', import.meta.url), 'utf8'),
    );
    expect(committed).toEqual(configJsonSchema());
  });

  it('describes monitors, channels, maintenance windows and status pages, each with a required key', () => {
    const schema = configJsonSchema() as { properties: Record<string, { items: { required: string[] } }> };
    for (const list of ['monitors', 'channels', 'maintenance', 'statusPages']) {
      expect(schema.properties[list]!.items.required).toContain('key');
    }
  });
});
