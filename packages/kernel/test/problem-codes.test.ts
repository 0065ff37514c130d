import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineProblemCodes, type ProblemCode } from "@ensemble/protocol";
import { AppError, defineModule, type ModuleDefinition } from "@ensemble/kernel";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { kernelModules } from "./kernel-modules.ts";

/** A service's codes, as its shared/ would declare them. */
const quillCodes = defineProblemCodes({ quill_dry: 423 });
type QuillCodes = typeof quillCodes;
declare module "@ensemble/protocol" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ProblemCodes extends QuillCodes {}
}
/** Defined, but listed by no module of the server. */
const strayCodes = defineProblemCodes({ quill_stray: 418 });

const quill = defineModule({
  name: "quill",
  problemCodes: quillCodes,
  routes: (app) => {
    app.get("/api/quill/dry", async () => {
      throw new AppError("quill_dry", "the ink ran out");
    });
    app.get("/api/quill/stray", async () => {
      throw new AppError(Object.keys(strayCodes)[0] as ProblemCode, "not registered");
    });
  },
});
const ink = (codes: Record<string, number>): ModuleDefinition => defineModule({ name: "ink", problemCodes: codes });

describe("problem codes declared by modules", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ modules: [...kernelModules, quill] });
  });
  afterAll(async () => s.close());

  it("answers a module's registered code with its declared status", async () => {
    const r = await s.client().get<{ code: string; status: number }>("/api/quill/dry");
    expect(r.status).toBe(423);
    expect(r.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(r.body).toMatchObject({ code: "quill_dry", status: 423, detail: "the ink ran out" });
  });

  it("answers a code no module of this server registered as an internal error", async () => {
    const r = await s.client().get<{ code: string }>("/api/quill/stray");
    expect(r.status).toBe(500);
    expect(r.body.code).toBe("internal");
  });

  it("lists the kernel's and the modules' codes, with their statuses, in the OpenAPI document", async () => {
    const r = await s.client().get<{
      components: {
        schemas: { Problem: { properties: { code: { enum: string[] } }; "x-status": Record<string, number> } };
      };
    }>("/api/openapi.json");
    const problem = r.body.components.schemas.Problem;
    expect(problem.properties.code.enum).toEqual(expect.arrayContaining(["quill_dry", "not_found", "validation"]));
    expect(problem.properties.code.enum).not.toContain("quill_stray");
    expect(problem["x-status"]).toMatchObject({ quill_dry: 423, not_found: 404 });
  });

  it("refuses to start when two modules declare the same code, naming both", async () => {
    await expect(
      startTestServer({ modules: [...kernelModules, quill, ink(defineProblemCodes({ quill_dry: 423 }))] }),
    ).rejects.toThrow(/module "quill" and module "ink" both declare the problem code "quill_dry"/);
  });

  it("refuses a module declaring one of the kernel's codes", async () => {
    await expect(
      startTestServer({ modules: [...kernelModules, ink(defineProblemCodes({ not_found: 404 }))] }),
    ).rejects.toThrow(/the kernel and module "ink" both declare the problem code "not_found"/);
  });

  it("refuses one code defined twice with different statuses", () => {
    expect(() => defineProblemCodes({ quill_dry: 409 })).toThrow(/problem code "quill_dry" is defined twice/);
  });
});
