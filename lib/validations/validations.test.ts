import { describe, expect, it } from "vitest";
import { accountCreateSchema, signInSchema } from "./account";
import { communityCreateSchema, slugify } from "./community";

describe("community schema", () => {
  it.each(["acme", "acme-shop", "shop-2026", "a1b"])("accepts the slug %j", (slug) => {
    expect(communityCreateSchema.safeParse({ name: "Acme", slug }).success).toBe(true);
  });
  it.each(["ac", "Acme", "-acme", "acme-", "ac--me", "ac_me", "acme shop", "é-shop", "x".repeat(49)])(
    "refuses the slug %j",
    (slug) => {
      expect(communityCreateSchema.safeParse({ name: "Acme", slug }).success).toBe(false);
    },
  );
  it("trims names and refuses blank ones", () => {
    expect(communityCreateSchema.parse({ name: "  Acme  ", slug: "acme" }).name).toBe("Acme");
    expect(communityCreateSchema.safeParse({ name: "   ", slug: "acme" }).success).toBe(false);
  });
  it.each([
    ["Acme Shop", "acme-shop"],
    ["  Café Crème (EU)  ", "cafe-creme-eu"],
    ["!!!", ""],
  ])("slugify(%j) = %j", (name, slug) => expect(slugify(name)).toBe(slug));
});

describe("account schemas", () => {
  it("normalises e-mail addresses", () => {
    expect(signInSchema.parse({ email: "  Boss@Example.COM ", password: "x" }).email).toBe("boss@example.com");
  });
  it("requires 12+ character passwords for new accounts and a known role", () => {
    const r = accountCreateSchema.safeParse({ email: "a@b.co", name: "", password: "11chars....", role: "root" });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path[0])).toEqual(["password", "role"]);
  });
});
