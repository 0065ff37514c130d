import { ApiProblem, csrfCookie } from "@ensemble/ui";
import type { PublicLink } from "../shared/wire.ts";

/** Headers for a write: a signed-in visitor's session needs its CSRF token echoed; someone without one sends none. */
function writeHeaders(): Record<string, string> {
  const csrf = csrfCookie();
  return csrf ? { "x-csrf-token": csrf } : {};
}

const codeOf = (status: number, text: string): string => {
  try {
    const p = JSON.parse(text) as { code?: unknown };
    if (typeof p.code === "string") return p.code;
  } catch {
    // Not problem+json (a proxy's page): worded by status below.
  }
  return status === 404 ? "not_found" : status === 429 ? "rate_limited" : "internal";
};

const enc = encodeURIComponent;
const base = (token: string) => `/api/files/public/${enc(token)}`;
const withAccess = (access: string | null, extra: Record<string, string> = {}) => {
  const q = new URLSearchParams({ ...(access ? { access } : {}), ...extra }).toString();
  return q ? `?${q}` : "";
};

/**
 * The public link page runs outside the shell's signed-in host (people without an account open it),
 * so it calls the API itself, on the same origin.
 */
async function call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: {
        accept: "application/json",
        ...(body === undefined ? {} : { "content-type": "application/json", ...writeHeaders() }),
      },
      body: body === undefined ? null : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    throw new ApiProblem(0, "network");
  }
  const text = await res.text();
  if (!res.ok) throw new ApiProblem(res.status, codeOf(res.status, text));
  return JSON.parse(text) as T;
}

export const publicLinkApi = {
  open: (token: string, access: string | null) => call<PublicLink>("GET", `${base(token)}${withAccess(access)}`),
  unlock: (token: string, password: string) => call<{ access: string }>("POST", `${base(token)}/unlock`, { password }),
  /** Where a file of the link downloads from (the password's proof travels in the query, never logged). */
  contentUrl: (token: string, access: string | null, nodeId?: string) =>
    `${base(token)}/content${withAccess(access, nodeId ? { node: nodeId } : {})}`,
  /** Drops a file into a « dépôt » with progress (fetch reports none for a body it sends). */
  drop(
    token: string,
    access: string | null,
    file: File,
    onProgress: (fraction: number) => void,
  ): Promise<{ name: string; size: number }> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("PUT", `${base(token)}/files${withAccess(access, { name: file.name })}`);
      xhr.setRequestHeader("accept", "application/json");
      xhr.setRequestHeader("content-type", file.type || "application/octet-stream");
      for (const [k, v] of Object.entries(writeHeaders())) xhr.setRequestHeader(k, v);
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress(e.loaded / e.total);
      };
      xhr.onload = () => {
        if (xhr.status >= 200 && xhr.status < 300)
          resolve(JSON.parse(xhr.responseText) as { name: string; size: number });
        else reject(new ApiProblem(xhr.status, codeOf(xhr.status, xhr.responseText)));
      };
      xhr.onerror = () => reject(new ApiProblem(0, "network"));
      xhr.send(file);
    });
  },
};
