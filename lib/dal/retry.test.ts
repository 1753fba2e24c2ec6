import { describe, expect, it } from "vitest";
import { isTransientConflict, retryTransient } from "./retry";

describe("retryTransient", () => {
  it("retries transient conflicts of both databases, and nothing else", async () => {
    let calls = 0;
    const flaky = async () => {
      calls++;
      if (calls < 3) throw Object.assign(new Error("SqliteError: database is locked"), {});
      return "done";
    };
    expect(await retryTransient(flaky)).toBe("done");
    expect(calls).toBe(3);
    expect(isTransientConflict(Object.assign(new Error("x"), { code: "P2034" }))).toBe(true);
    expect(isTransientConflict(new Error("could not serialize access due to concurrent update"))).toBe(true);
    expect(isTransientConflict(new Error("Operation has timed out"))).toBe(true);
    expect(isTransientConflict(Object.assign(new Error("Transaction already closed"), { code: "P2028" }))).toBe(true);
    let other = 0;
    await expect(
      retryTransient(async () => {
        other++;
        throw new Error("unique constraint");
      }),
    ).rejects.toThrow("unique constraint");
    expect(other).toBe(1);
  });

  it("gives up after the last attempt", async () => {
    let calls = 0;
    await expect(
      retryTransient(async () => {
        calls++;
        throw new Error("database is locked");
      }, 3),
    ).rejects.toThrow("locked");
    expect(calls).toBe(3);
  });
});
