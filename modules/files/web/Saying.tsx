import { Text } from "@mantine/core";

/** A sentence for the live region: what just happened, or what went wrong. */
export type Said = { ok: boolean; text: string } | null;

export function Saying({ said }: { said: Said }) {
  // Always rendered so screen readers hear each change of this region.
  return (
    <div aria-live="polite">
      {said &&
        (said.ok ? (
          <Text size="sm">{said.text}</Text>
        ) : (
          <Text size="sm" c="red.9" role="alert">
            {said.text}
          </Text>
        ))}
    </div>
  );
}
