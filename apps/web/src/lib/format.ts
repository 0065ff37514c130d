/** The zones a person may choose for their profile. */
export function timeZones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (k: string) => string[] };
  return intl.supportedValuesOf ? intl.supportedValuesOf("timeZone") : ["Europe/Paris", "UTC"];
}

/** Reads `#token=…` from the URL fragment (never sent to the server in logs or referrers). */
export function fragmentToken(): string {
  const params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
  return params.get("token") ?? "";
}
