import { describe, expect, it } from "vitest";
import { createDb, db, setDb } from "@/lib/db";
import { readiness } from "@/lib/api/health";
import { resolveDatabase } from "@/lib/db-url";

describe("readiness", () => {
  it("is ok with a database, 503 without one", async () => {
    const ok = await readiness();
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: "ok", database: "ok" });
    const real = db();
    setDb(createDb(resolveDatabase({ DATABASE_URL: "postgresql://postgres@127.0.0.1:1/none" })));
    try {
      const down = await readiness();
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({ status: "unavailable", database: "unreachable" });
    } finally {
      await db()
        .$disconnect()
        .catch(() => {});
      setDb(real);
    }
  });
});
