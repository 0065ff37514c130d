import { Avatar, Group, Text } from "@mantine/core";
import type { Presence } from "./host.tsx";

const PRESENCE_COLOURS: Record<Presence, string> = {
  online: "var(--mantine-color-green-7)",
  away: "var(--mantine-color-yellow-6)",
  dnd: "var(--mantine-color-red-7)",
  offline: "var(--mantine-color-gray-5)",
};

/** Up to two initials of a name, for an avatar without a picture. */
export function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join("");
}

/**
 * A person's picture (or initials), with their live presence as a dot when
 * given; `presenceLabel` is the dot's text alternative.
 */
export function UserAvatar({
  name,
  src,
  size = 32,
  presence,
  presenceLabel,
}: {
  name: string;
  src?: string | null;
  size?: number;
  presence?: Presence | null;
  presenceLabel?: string;
}) {
  return (
    <span style={{ position: "relative", display: "inline-flex" }}>
      <Avatar src={src ?? null} alt="" radius="xl" size={size} aria-hidden="true">
        {initials(name)}
      </Avatar>
      {presence && (
        <span
          role="img"
          aria-label={presenceLabel ?? presence}
          data-presence={presence}
          style={{
            position: "absolute",
            right: -1,
            bottom: -1,
            width: Math.max(8, size / 4),
            height: Math.max(8, size / 4),
            borderRadius: "50%",
            border: "2px solid var(--mantine-color-body)",
            background: PRESENCE_COLOURS[presence],
          }}
        />
      )}
    </span>
  );
}

/** A person as avatar and name, side by side. */
export function UserChip({
  name,
  src,
  presence,
  presenceLabel,
  size = 24,
}: {
  name: string;
  src?: string | null;
  presence?: Presence | null;
  presenceLabel?: string;
  size?: number;
}) {
  return (
    <Group gap="xs" wrap="nowrap" component="span">
      <UserAvatar name={name} src={src ?? null} size={size} presence={presence ?? null} presenceLabel={presenceLabel} />
      <Text span size="sm" truncate>
        {name}
      </Text>
    </Group>
  );
}
