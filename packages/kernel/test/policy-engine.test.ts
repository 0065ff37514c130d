import { describe, expect, it } from "vitest";
import { capabilityTable } from "@ensemble/protocol";
import { AppError } from "../src/errors.ts";
import { Policy, resourceKind } from "../src/authz/policy.ts";
import { orgCapabilities } from "../src/authz/capabilities.ts";
import type { Actor } from "../src/authz/actor.ts";

const user = (role: "admin" | "member" | "guest"): Actor => ({
  kind: "user",
  id: `u-${role}`,
  username: role,
  role,
  scopes: null,
  sessionId: null,
  tokenId: null,
});

describe("capability tables", () => {
  const table = capabilityTable<"lead" | "crew", "steer" | "speak", "crewSpeaks">({
    lead: { steer: true, speak: true },
    crew: { speak: "crewSpeaks" },
  });

  it("grant outright, by a setting, or not at all; no role holds nothing", () => {
    expect(table.can("lead", "steer")).toBe(true);
    expect(table.can("crew", "steer")).toBe(false);
    expect(table.can("crew", "speak")).toBe(false);
    expect(table.can("crew", "speak", { crewSpeaks: true })).toBe(true);
    expect(table.can(null, "speak", { crewSpeaks: true })).toBe(false);
    expect(table.held("crew", { crewSpeaks: true })).toEqual(["speak"]);
    expect(table.held("lead")).toEqual(["steer", "speak"]);
    expect(table.held(null)).toEqual([]);
  });

  it("the organisation's table runs on the same engine", () => {
    expect(orgCapabilities.can("member", "invitations.create", { membersCanInvite: true })).toBe(true);
    expect(orgCapabilities.can("member", "invitations.create", { membersCanInvite: false })).toBe(false);
    expect(orgCapabilities.held("guest")).toEqual([]);
  });
});

describe("policy states (refuse)", () => {
  type Door = { open: boolean; locked: boolean };
  const Door = resourceKind<Door>()("door", ["read", "pass", "paint"]);
  const policy = new Policy()
    .allow(Door, "read", () => true)
    .allow(Door, ["pass", "paint"], (a) => a.kind === "user")
    .refuse(Door, "pass", (_a, d) => (d.locked ? new AppError("conflict", "locked") : null));

  it("withdraw an allowed action with their own problem while the state holds", async () => {
    const locked = { open: true, locked: true };
    expect(await policy.can(user("member"), Door, "pass", locked)).toBe(false);
    await expect(policy.authorize(user("member"), Door, "pass", locked)).rejects.toMatchObject({ code: "conflict" });
    expect(await policy.authorize(user("member"), Door, "pass", { open: true, locked: false })).toBeTruthy();
    expect(await policy.allowedActions(user("member"), Door, locked)).toEqual(["read", "paint"]);
    expect(await policy.allowedActions({ kind: "anonymous" }, Door, locked)).toEqual(["read"]);
  });

  it("never turn a refusal into an allowance", async () => {
    await expect(
      policy.authorize({ kind: "anonymous" }, Door, "pass", { open: true, locked: false }),
    ).rejects.toMatchObject({ code: "forbidden" });
  });
});
