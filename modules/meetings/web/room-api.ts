import { ApiProblem, csrfCookie } from "@ensemble/ui";

/** A refused call: its problem code, as the shared problem texts read it. */
export { ApiProblem as RoomApiError };

/**
 * The meeting page is public (people without an account come by its link),
 * so it runs outside the shell's signed-in host and calls the API itself:
 * same origin, the session cookie when there is one, its CSRF token on writes.
 */
export async function roomApi<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  const csrf = method === "POST" ? csrfCookie() : null;
  if (csrf) headers["x-csrf-token"] = csrf;
  if (body !== undefined) headers["content-type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    throw new ApiProblem(0, "network");
  }
  const text = await res.text();
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) throw new ApiProblem(res.status, (data as { code?: string } | undefined)?.code ?? "internal");
  return data as T;
}
