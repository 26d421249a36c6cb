// GraphQL input objects to the domain's inputs: an optional field given as null means "not given".
export function withoutNulls(input: Record<string, unknown>, nullable: readonly string[] = []): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(input).filter(([key, value]) => value !== undefined && (value !== null || nullable.includes(key))),
  );
}
