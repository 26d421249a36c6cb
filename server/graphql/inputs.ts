// GraphQL input objects to the domain's inputs: an optional field given as null means "not given".
export type WithoutNulls<T, Nullable extends keyof T = never> = {
  [K in keyof T]?: K extends Nullable ? T[K] : Exclude<T[K], null>;
};

export function withoutNulls<T extends object, Nullable extends keyof T = never>(
  input: T,
  nullable: readonly Nullable[] = [],
): WithoutNulls<T, Nullable> {
  return Object.fromEntries(
    Object.entries(input).filter(
      ([key, value]) => value !== undefined && (value !== null || nullable.includes(key as Nullable)),
    ),
  ) as WithoutNulls<T, Nullable>;
}
