// A page's search parameters as one string each (the first of a repeated one), for a zod query schema.
export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export async function firstValues(searchParams: SearchParams): Promise<Record<string, string | undefined>> {
  return Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
}
