import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { AppError, rawResponse, route, type Kernel } from "@ensemble/kernel";
import { personalSpace, quotaOf } from "../spaces.ts";

/**
 * The version we answer as. Nextcloud clients gate features on it; 28 is recent enough that
 * nothing is refused, and the capabilities below say what we really offer (no bulk upload,
 * no end-to-end encryption, no sharing API yet).
 */
const VERSION = { major: 28, minor: 0, micro: 0, string: "28.0.0", edition: "", extendedSupport: false };

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

const xmlEscape = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** OCS's XML form: one element per key, `<element>` per item of a list (what the clients parse). */
function toXml(v: Json): string {
  if (v === null) return "";
  if (Array.isArray(v)) return v.map((x) => `<element>${toXml(x)}</element>`).join("");
  if (typeof v === "object")
    return Object.entries(v)
      .map(([k, x]) => `<${k}>${toXml(x)}</${k}>`)
      .join("");
  return xmlEscape(String(v));
}

/**
 * Answers in the OCS envelope, JSON when the client asks for it (`format=json` or an Accept
 * naming JSON, as the desktop client does) and XML otherwise; v1 says 100 for success, v2 200.
 */
function ocs(req: FastifyRequest, reply: FastifyReply, data: Json): FastifyReply {
  const v2 = req.url.startsWith("/ocs/v2.php");
  const meta = { status: "ok", statuscode: v2 ? 200 : 100, message: "OK", totalitems: "", itemsperpage: "" };
  const format = (req.query as { format?: string }).format;
  const json = format === "json" || (format !== "xml" && /json/i.test(req.headers.accept ?? ""));
  if (json) return reply.type("application/json; charset=utf-8").send({ ocs: { meta, data } });
  return reply
    .type("text/xml; charset=utf-8")
    .send(`<?xml version="1.0"?>\n<ocs>${toXml({ meta, data } as Json)}</ocs>\n`);
}

const formatQuery = z.object({ format: z.enum(["json", "xml"]).optional() });

/** What the Nextcloud clients read first: the server's status, its capabilities and who is signed in. */
export function nextcloudOcsRoutes(app: FastifyInstance, k: Kernel): void {
  route(app, {
    method: "GET",
    url: "/status.php",
    summary: "Nextcloud-compatible server status, where clients check that a URL is a server they can sync with",
    tags: ["files"],
    auth: "none",
    response: rawResponse("application/json", "installed, maintenance, version"),
    handler: async ({ reply }) =>
      reply.type("application/json; charset=utf-8").send({
        installed: true,
        maintenance: false,
        needsDbUpgrade: false,
        version: `${VERSION.string}.0`,
        versionstring: VERSION.string,
        edition: "",
        productname: "Ensemble",
        extendedSupport: false,
      }),
  });

  const capabilities: Json = {
    version: VERSION,
    capabilities: {
      core: { pollinterval: 60, "webdav-root": "remote.php/webdav" },
      // Chunked upload (`/remote.php/dav/uploads/{user}/`); no bulk upload, so clients PUT file by file.
      dav: { chunking: "1.0" },
      files: { bigfilechunking: true, undelete: true, versioning: true },
      checksums: { supportedTypes: ["SHA1", "MD5", "SHA256"], preferredUploadType: "SHA1" },
    },
  };
  for (const v of ["v1", "v2"]) {
    route(app, {
      method: "GET",
      url: `/ocs/${v}.php/cloud/capabilities`,
      summary: "Nextcloud-compatible capabilities (OCS): what the WebDAV server offers its sync clients",
      tags: ["files"],
      auth: "optional",
      query: formatQuery,
      response: rawResponse("application/json", "the OCS envelope, JSON or XML"),
      handler: async ({ req, reply }) => ocs(req, reply, capabilities),
    });

    route(app, {
      method: "GET",
      url: `/ocs/${v}.php/cloud/user`,
      summary: "Nextcloud-compatible signed-in user (OCS): the name of the WebDAV tree, display name and quota",
      tags: ["files"],
      auth: "user",
      query: formatQuery,
      response: rawResponse("application/json", "the OCS envelope, JSON or XML"),
      handler: async ({ actor, req, reply }) => {
        const user = await k.users.findById(actor.id);
        if (!user) throw new AppError("unauthenticated", "sign in to continue");
        const space = await personalSpace(k, actor);
        const total = await quotaOf(k, space);
        const used = Number(space.used_bytes);
        return ocs(req, reply, {
          enabled: true,
          id: user.username,
          "display-name": user.display_name,
          displayname: user.display_name,
          email: user.email ?? null,
          quota: {
            free: Math.max(0, total - used),
            used,
            total,
            quota: total,
            relative: total > 0 ? Math.round((used / total) * 10000) / 100 : 0,
          },
        });
      },
    });
  }
}
