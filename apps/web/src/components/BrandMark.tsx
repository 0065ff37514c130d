import { useBranding } from "../api/session.ts";

/** The organisation's logo when it has one, else the four services together drawn in the brand colour (decorative). */
export function BrandMark({ size = 32 }: { size?: number }) {
  const logo = useBranding().data?.logoUrl;
  if (logo)
    return <img src={logo} width={size} height={size} alt="" style={{ objectFit: "contain", borderRadius: 6 }} />;
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="8" fill="var(--ensemble-brand)" />
      <circle cx="11" cy="11" r="4.5" fill="var(--ensemble-on-brand)" />
      <circle cx="21" cy="11" r="4.5" fill="var(--ensemble-on-brand)" opacity="0.8" />
      <circle cx="11" cy="21" r="4.5" fill="var(--ensemble-on-brand)" opacity="0.8" />
      <circle cx="21" cy="21" r="4.5" fill="var(--ensemble-on-brand)" opacity="0.6" />
    </svg>
  );
}
