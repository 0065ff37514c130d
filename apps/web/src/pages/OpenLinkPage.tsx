import { Navigate, useSearchParams } from "react-router";

/**
 * Target of the `web+ensemble:` protocol handler: `web+ensemble:/chat/general`
 * opens /chat/general in the app. Only same-origin paths are followed.
 */
export function resolveProtocolLink(target: string | null): string {
  if (!target) return "/";
  const path = target.replace(/^web\+ensemble:(\/\/)?/i, "/").replace(/^\/+/, "/");
  return path.startsWith("/") && !path.startsWith("//") ? path : "/";
}

export function OpenLinkPage() {
  const [params] = useSearchParams();
  return <Navigate to={resolveProtocolLink(params.get("target"))} replace />;
}
