/** A person-readable device label ("Firefox on Windows") from a User-Agent header. */
export interface DeviceInfo {
  browser: string | null;
  os: string | null;
  /** What the sessions page shows. */
  label: string;
}

// Order matters: Edge and Opera also claim Chrome, Chrome also claims Safari.
const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, "Edge"],
  [/\bOPR\/|\bOpera\b/, "Opera"],
  [/\bSamsungBrowser\//, "Samsung Internet"],
  [/\bFirefox\/|\bFxiOS\//, "Firefox"],
  [/\bChromium\//, "Chromium"],
  [/\bChrome\/|\bCriOS\//, "Chrome"],
  [/\bVersion\/[\d.]+.*\bSafari\//, "Safari"],
  [/\bcurl\//i, "curl"],
  [/\brclone\//i, "rclone"],
  [/\bNextcloud\b|\bmirall\b/i, "Nextcloud client"],
];

const SYSTEMS: [RegExp, string][] = [
  [/\bAndroid\b/, "Android"],
  [/\biPhone\b|\biPad\b|\biPod\b/, "iOS"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bWindows\b/, "Windows"],
  [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
  [/\bLinux\b|\bX11\b/, "Linux"],
];

const first = (ua: string, table: [RegExp, string][]): string | null => table.find(([re]) => re.test(ua))?.[1] ?? null;

export function describeUserAgent(ua: string): DeviceInfo {
  const browser = first(ua, BROWSERS);
  const os = first(ua, SYSTEMS);
  const label = browser && os ? `${browser} on ${os}` : (browser ?? os ?? (ua ? ua.slice(0, 60) : "Unknown device"));
  return { browser, os, label };
}
