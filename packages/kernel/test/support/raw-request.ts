import http from "node:http";

export interface RawResponse {
  status: number;
  contentType: string;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/**
 * A plain node:http request: unlike fetch it sends whatever we ask for
 * (a body on any method, any content type, header bytes fetch would refuse).
 */
export function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: { text: string; contentType: string | null } | null,
): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const h: Record<string, string> = { ...headers };
  if (body?.contentType) h["content-type"] = body.contentType;
  const payload = body ? Buffer.from(body.text, "utf8") : null;
  if (payload) h["content-length"] = String(payload.length);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers: h }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers["content-type"] ?? ""),
          headers: res.headers,
          text: Buffer.concat(chunks).toString("utf8"),
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(payload ?? undefined);
  });
}
