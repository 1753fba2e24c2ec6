// Searching identities (docs/reference.md, the console's Identities page and GET …/identities): by uuid, by the
// start of an e-mail or a name in any case, verified or not, paged with a cursor that survives erasure —
// checked on identities written by the identity route itself, and at 100,000 rows.
import { beforeEach, describe, expect, it } from "vitest";
import { handleIdentityPost } from "@/lib/api/identity-route";
import { importCommunityConfig } from "@/lib/dal/community-config";
import { eraseIdentity } from "@/lib/dal/erasure";
import { listIdentityPage } from "@/lib/dal/identities";
import { searchKeys } from "@/lib/dal/identity-writes";
import { invalidateRuntimeConfig } from "@/lib/dal/runtime-config";
import { identitySearchSchema } from "@/lib/validations/identity-search";
import { db } from "@/lib/db";
import { resetDb, seedActor } from "../helpers/db";
import { seedIdentities } from "../helpers/identities";
import { specConfigDocument } from "../helpers/config";
import { nowS, signHs256 } from "../helpers/tokens";

const SLUG = "acme-shop";
beforeEach(async () => {
  await resetDb();
  await importCommunityConfig(null, {
    ...specConfigDocument(),
    community: { ...specConfigDocument().community, signed_identities: "accept" },
  });
  invalidateRuntimeConfig();
});

const identify = async (body: unknown) => {
  const res = await handleIdentityPost(
    new Request(`http://vouch.test/api/v1/communities/${SLUG}/identity`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
    SLUG,
  );
  expect(res.status).toBe(200);
  await new Promise((r) => setTimeout(r, 3)); // distinct updatedAt, so "newest first" is one order
};
const uuids = (page: { identities: { uuid: string }[] }) => page.identities.map((i) => i.uuid);
const search = async (q: Record<string, string>) =>
  uuids(await listIdentityPage(null, SLUG, identitySearchSchema.parse(q)));

describe("identity search", () => {
  it("finds by uuid, e-mail or name prefix in any case, verified or not", async () => {
    await identify({ identity: { uuid: "u-jane", firstname: "Jane", lastname: "Doe", email: "Jane.Doe@Example.com" } });
    await identify({ identity: { uuid: "u-janet", firstname: "Janet", email: "janet@example.org" } });
    await identify({ identity: { uuid: "u-bob", screenname: "BobTheBuilder", email: "bob@builder.test" } });
    const token = await signHs256(
      "9aeaf06388b8ab6487d1605b",
      { uuid: "u-vera", firstname: "Vera", lastname: "Jansen", email: "vera@example.com", exp: nowS() + 7200 },
      { kid: "prod_2026" },
    );
    await identify({ signed_identity: token });

    expect(await search({ q: "u-bob" })).toEqual(["u-bob"]); // a whole uuid
    expect(await search({ q: "u-" })).toEqual([]); // uuids match whole, not by prefix
    expect(await search({ q: "JANE" })).toEqual(["u-janet", "u-jane"]); // names by prefix, any case, newest first
    expect(await search({ q: "jane d" })).toEqual(["u-jane"]); // "first last"
    expect(await search({ q: "jane.doe@" })).toEqual(["u-jane"]); // e-mails by prefix
    expect(await search({ q: "bobthe" })).toEqual(["u-bob"]); // the screen name when there is no name
    expect(await search({ q: "  vera  " })).toEqual(["u-vera"]); // trimmed
    expect(await search({ verified: "true" })).toEqual(["u-vera"]);
    expect(await search({ q: "v", verified: "false" })).toEqual([]);
    expect(await search({ verified: "false" })).toEqual(["u-bob", "u-janet", "u-jane"]);
    expect(await search({ q: "%" })).toEqual([]); // no wildcards

    // An update changes what the row is found by.
    await identify({ identity: { uuid: "u-bob", firstname: "Robert", email: "rob@builder.test" } });
    expect(await search({ q: "bob" })).toEqual([]);
    expect(await search({ q: "robert" })).toEqual(["u-bob"]);
    expect(
      await db().identity.findMany({ select: { uuid: true, emailKey: true, nameKey: true }, orderBy: { uuid: "asc" } }),
    ).toEqual([
      { uuid: "u-bob", emailKey: "rob@builder.test", nameKey: "robert" },
      { uuid: "u-jane", emailKey: "jane.doe@example.com", nameKey: "jane doe" },
      { uuid: "u-janet", emailKey: "janet@example.org", nameKey: "janet" },
      { uuid: "u-vera", emailKey: "vera@example.com", nameKey: "vera jansen" },
    ]);
  });

  it("refuses bad search input with the parameter named", () => {
    const problems = (q: Record<string, string>) =>
      identitySearchSchema.safeParse(q).error?.issues.map((i) => i.message);
    expect(problems({ verified: "yes" })).toEqual(['verified: "true" or "false"']);
    expect(problems({ limit: "0" })).toEqual(["limit: a whole number, 1–200"]);
    expect(problems({ limit: "ten" })).toEqual(["limit: a whole number, 1–200"]);
    expect(problems({ q: "x".repeat(201) })).toEqual([
      "q: at most 200 characters (a uuid, or the start of an e-mail or a name)",
    ]);
    expect(identitySearchSchema.parse({ q: "", verified: "", limit: "" })).toEqual({ limit: 50 });
  });

  it("pages newest first with a cursor that survives erasure, and refuses a forged cursor", async () => {
    for (let i = 0; i < 7; i++) await identify({ identity: { uuid: `p${i}`, firstname: `Pat${i}` } });
    const admin = await seedActor("admin");
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof listIdentityPage>> = await listIdentityPage(admin, SLUG, {
        q: "pat",
        limit: 3,
        cursor,
      });
      seen.push(...uuids(page));
      if (pages === 0) await eraseIdentity(admin, SLUG, "p3"); // the row after the cursor goes away meanwhile
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(["p6", "p5", "p4", "p2", "p1", "p0"]);
    expect(pages).toBe(2);
    await expect(listIdentityPage(admin, SLUG, { cursor: "bm90LWEtY3Vyc29y" })).rejects.toMatchObject({
      code: "invalid",
      field: "cursor",
    });
  });

  it("stays correct at 100,000 identities (every branch an index range)", { timeout: 60_000 }, async () => {
    const communityId = (await db().community.findUniqueOrThrow({ where: { slug: SLUG } })).id;
    await seedIdentities(communityId, 100_000);
    expect(searchKeys({ firstname: "Name7", email: "visitor7@example.com" })).toEqual([
      "visitor7@example.com",
      "name7",
    ]);
    const seven = await listIdentityPage(null, SLUG, { q: "v7" });
    expect(seven.identities[0]!.updatedAt.toISOString()).toBe("2027-01-01T00:00:07.000Z");

    expect(await search({ q: "v4242" })).toEqual(["v4242"]);
    expect(await search({ q: "visitor99999@" })).toEqual(["v99999"]);
    expect(await search({ q: "name9999", limit: "20" })).toEqual([
      "v99999",
      "v99998",
      "v99997",
      "v99996",
      "v99995",
      "v99994",
      "v99993",
      "v99992",
      "v99991",
      "v99990",
      "v9999",
    ]);
    const verified = await listIdentityPage(null, SLUG, { verified: true, limit: 200 });
    expect(verified.identities).toHaveLength(100);
    expect(verified.identities[0]!.uuid).toBe("v99000");
    expect(verified.nextCursor).toBeNull();
    const newest = await listIdentityPage(null, SLUG, { limit: 2 });
    expect(uuids(newest)).toEqual(["v99999", "v99998"]);
    expect(uuids(await listIdentityPage(null, SLUG, { limit: 2, cursor: newest.nextCursor }))).toEqual([
      "v99997",
      "v99996",
    ]);
  });
});
