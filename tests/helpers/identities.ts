import { handleIdentityPost } from "@/lib/api/identity-route";
import { db } from "@/lib/db";

/**
 * `count` identities in one statement (the ORM would take minutes for 100,000), with the search columns
 * as searchKeys() writes them: uuid v<i>, "Name<i>", visitor<i>@example.com, updatedAt one second apart
 * from 2027-01-01 (v<count-1> the newest), every 1,000th verified. For the search test and its benchmark.
 */
export async function seedIdentities(communityId: string, count: number): Promise<void> {
  const postgres = /^postgres/.test(process.env.DATABASE_URL ?? "");
  await db().$executeRawUnsafe(
    postgres
      ? `INSERT INTO "identity" ("id", "communityId", "uuid", "verified", "fields", "emailKey", "nameKey", "createdAt", "updatedAt", "lastSeenAt")
         SELECT 'seed' || i, $1, 'v' || i, i % 1000 = 0,
                json_build_object('firstname', 'Name' || i, 'email', 'visitor' || i || '@example.com')::text,
                'visitor' || i || '@example.com', 'name' || i,
                timestamp '2027-01-01' + i * interval '1 second', timestamp '2027-01-01' + i * interval '1 second',
                timestamp '2027-01-01' + i * interval '1 second'
         FROM generate_series(0, $2::int - 1) AS i`
      : `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ? - 1)
         INSERT INTO "identity" ("id", "communityId", "uuid", "verified", "fields", "emailKey", "nameKey", "createdAt", "updatedAt", "lastSeenAt")
         SELECT 'seed' || i, ?, 'v' || i, i % 1000 = 0,
                json_object('firstname', 'Name' || i, 'email', 'visitor' || i || '@example.com'),
                'visitor' || i || '@example.com', 'name' || i,
                strftime('%Y-%m-%dT%H:%M:%S.000+00:00', 1798761600 + i, 'unixepoch'),
                strftime('%Y-%m-%dT%H:%M:%S.000+00:00', 1798761600 + i, 'unixepoch'),
                strftime('%Y-%m-%dT%H:%M:%S.000+00:00', 1798761600 + i, 'unixepoch')
         FROM n`,
    ...(postgres ? [communityId, count] : [count, communityId]),
  );
  if (postgres) await db().$executeRawUnsafe(`ANALYZE "identity"`);
}

/** POSTs `body` to a community's identity route (the web door) and reads the JSON answer. */
export async function postIdentity(slug: string, body: unknown) {
  const res = await handleIdentityPost(
    new Request(`http://vouch.test/api/v1/communities/${slug}/identity`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
    slug,
  );
  return {
    status: res.status,
    body: (await res.json()) as { error?: { code: string }; identity?: { uuid: string; verified: boolean } },
  };
}
