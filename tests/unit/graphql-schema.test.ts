// The committed SDL (schema/schema.graphql) matches the code-first schema, and every part of the schema is
// documented. No database: the schema is built in process.
import { readFileSync } from 'node:fs';
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { printVigieSchema, schema } from '../../server/graphql/schema.ts';

const SDL_FILE = new URL('../../schema/schema.graphql', import.meta.url);

const hasText = (description: string | null | undefined) =>
  typeof description === 'string' && description.trim() !== '';

/** Paths ("Type", "Type.field", "Type.field(arg)", "Enum.VALUE", "Input.field") that have no description. */
function undocumented(target: GraphQLSchema): string[] {
  const missing: string[] = [];
  const types = Object.values(target.getTypeMap()).filter(
    (type: GraphQLNamedType) => !isIntrospectionType(type) && !isSpecifiedScalarType(type),
  );
  for (const type of types) {
    if (!hasText(type.description)) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!hasText(field.description)) missing.push(`${type.name}.${field.name}`);
        for (const arg of field.args) {
          if (!hasText(arg.description)) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!hasText(field.description)) missing.push(`${type.name}.${field.name}`);
      }
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) {
        if (!hasText(value.description)) missing.push(`${type.name}.${value.name}`);
      }
    }
  }
  return missing;
}

describe('schema/schema.graphql', () => {
  it('is the SDL the code prints (regenerate it with `npm run schema` when this fails)', () => {
    const committed = readFileSync(SDL_FILE, 'utf8');
    const printed = printVigieSchema();
    // A plain boolean first, so the failure says what to do rather than only showing a long diff.
    expect(committed === printed, 'schema/schema.graphql is stale: run `npm run schema` and commit the result').toBe(
      true,
    );
    expect(committed).toBe(printed);
  });

  it('contains the contract names of DESIGN.md', () => {
    const query = schema.getQueryType()!.getFields();
    const mutation = schema.getMutationType()!.getFields();
    const subscription = schema.getSubscriptionType()!.getFields();
    expect(Object.keys(query)).toEqual(
      expect.arrayContaining(['monitors', 'monitor', 'results', 'alerts', 'monitorStats', 'health']),
    );
    expect(Object.keys(mutation)).toEqual(
      expect.arrayContaining([
        'createMonitor',
        'updateMonitor',
        'deleteMonitor',
        'pauseMonitor',
        'resumeMonitor',
        'checkNow',
        'checkUrl',
        'acknowledgeAlert',
      ]),
    );
    expect(Object.keys(subscription)).toEqual(
      expect.arrayContaining(['checkCompleted', 'monitorStatusChanged', 'alertRaised']),
    );
    const results = query.results!.args.map((arg) => arg.name);
    expect(results).toEqual(expect.arrayContaining(['monitorId', 'first', 'after', 'from', 'to']));
    const status = schema.getType('MonitorStatus');
    expect(isEnumType(status) && status.getValues().map((value) => value.name)).toEqual(
      expect.arrayContaining(['DEGRADED', 'DOWN', 'PAUSED', 'PENDING', 'UP']),
    );
    const kind = schema.getType('MonitorKind');
    expect(
      isEnumType(kind) &&
        kind
          .getValues()
          .map((value) => value.name)
          .sort(),
    ).toEqual(['DNS', 'HTTP', 'ICMP', 'PUSH', 'TCP']);
  });
});

describe('descriptions', () => {
  it('document every type, field, argument, input field and enum value', () => {
    expect(undocumented(schema)).toEqual([]);
  });

  it('are really checked: an undocumented field, argument and enum value are reported', () => {
    const bare = buildSchema(`
      """Documented."""
      type Query {
        """Documented."""
        ok: Boolean
        missing(arg: Int): Boolean
      }
      """Documented."""
      enum Color { RED }
    `);
    expect(undocumented(bare)).toEqual(['Query.missing', 'Query.missing(arg)', 'Color.RED']);
  });
});
