import path from "node:path";
import { describe, expect, it } from "vitest";
import { resolveDatabase } from "./db-url";

describe("resolveDatabase", () => {
  it("defaults to the SQLite file in the data folder", () => {
    expect(resolveDatabase({ VOUCH_DATA_DIR: "/srv/vouch" })).toEqual({
      provider: "sqlite",
      url: "file:/srv/vouch/vouch.db",
      file: "/srv/vouch/vouch.db",
    });
    expect(resolveDatabase({}).file).toBe(path.resolve("data/vouch.db"));
  });

  it("accepts file: URLs, relative or absolute", () => {
    expect(resolveDatabase({ DATABASE_URL: "file:./x.db" }).file).toBe(path.resolve("x.db"));
    expect(resolveDatabase({ DATABASE_URL: "file:///tmp/y.db" }).file).toBe("/tmp/y.db");
  });

  it("accepts PostgreSQL URLs as given", () => {
    const url = "postgresql://postgres@127.0.0.1:5432/test";
    expect(resolveDatabase({ DATABASE_URL: url })).toEqual({ provider: "postgres", url });
    expect(resolveDatabase({ DATABASE_URL: "postgres://u:p@h/db" }).provider).toBe("postgres");
  });

  it.each([
    ["mysql://root@localhost/db", /must start with "file:"/],
    ["postgresql://host-only", /must name a host and a database/],
    ["file:", /not a usable SQLite URL/],
  ])("refuses %j with a message naming the problem", (url, message) => {
    expect(() => resolveDatabase({ DATABASE_URL: url })).toThrow(message);
  });
});
