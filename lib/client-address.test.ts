import { describe, expect, it } from "vitest";
import { clientAddress, readClientAddress, stampClientAddress } from "./client-address";

describe("clientAddress", () => {
  it("is the socket's peer without a trusted proxy, whatever X-Forwarded-For says", () => {
    expect(clientAddress("203.0.113.5", "198.51.100.1", 0)).toBe("203.0.113.5");
    expect(clientAddress("::ffff:203.0.113.5", undefined, 0)).toBe("203.0.113.5");
    expect(clientAddress("2001:DB8::1", undefined, 0)).toBe("2001:db8::1");
    expect(clientAddress(undefined, undefined, 0)).toBeNull();
  });

  it("takes the entry the outermost trusted proxy wrote, never the client's own", () => {
    // client forged "1.1.1.1"; proxy A saw 203.0.113.5; proxy B (next to us) saw A at 10.0.0.2
    const xff = "1.1.1.1, 203.0.113.5, 10.0.0.2";
    expect(clientAddress("10.0.0.3", xff, 1)).toBe("10.0.0.2");
    expect(clientAddress("10.0.0.3", xff, 2)).toBe("203.0.113.5");
    expect(clientAddress("10.0.0.3", ["1.1.1.1, 203.0.113.5", "10.0.0.2"], 2)).toBe("203.0.113.5");
  });

  it("is null when the request did not pass the configured proxies or the entry is not an address", () => {
    expect(clientAddress("10.0.0.3", "203.0.113.5", 2)).toBeNull();
    expect(clientAddress("10.0.0.3", undefined, 1)).toBeNull();
    expect(clientAddress("10.0.0.3", "unknown", 1)).toBeNull();
  });

  it("is read from the header only when this process stamped it", () => {
    expect(readClientAddress("203.0.113.5")).toBeNull(); // nothing stamped yet: not our server
    const stamped = stampClientAddress("203.0.113.5");
    expect(readClientAddress(stamped)).toBe("203.0.113.5");
    expect(readClientAddress("203.0.113.5")).toBeNull();
    expect(readClientAddress(`${"0".repeat(32)} 198.51.100.7`)).toBeNull();
    expect(readClientAddress(null)).toBeNull();
    expect(stampClientAddress(null)).toBe("");
  });
});
