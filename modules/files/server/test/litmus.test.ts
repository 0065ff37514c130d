import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { davUser, run, tool } from "./dav-fixtures.ts";

const LITMUS = "/usr/bin/litmus";
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

/** Debian's litmus, the WebDAV conformance suite, against the Nextcloud path of one user's files. */
describe.skipIf(!tool(LITMUS))("litmus", () => {
  it("passes basic, copymove, props, locks and http", async () => {
    const u = await davUser(server);
    const r = await run(LITMUS, [u.url, u.username, u.password], { TESTS: "basic copymove props locks http" });
    expect(
      r.out.split("\n").filter((l) => /FAIL|WARNING/.test(l)),
      r.out,
    ).toEqual([]);
    expect(r.code, r.out).toBe(0);
    // Every suite ran to its summary with nothing failed (a suite that aborts prints no summary).
    for (const suite of ["basic", "copymove", "props", "locks", "http"])
      expect(r.out).toMatch(new RegExp(`<- summary for \`${suite}': of \\d+ tests run: \\d+ passed, 0 failed`));
  }, 180_000);
});
