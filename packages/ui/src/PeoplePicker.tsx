import { useState } from "react";
import { Group, MultiSelect, Text, type ComboboxItem, type OptionsFilter } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import type { DirectoryEntry, Group as PeopleGroup } from "@ensemble/protocol/wire/accounts";
import { useWebHost } from "./host.tsx";
import { UserAvatar } from "./UserChip.tsx";

/** One person or group picked: `kind` says which, `label` is what the chip shows. */
export interface Picked {
  kind: "user" | "group";
  id: string;
  label: string;
  avatarUrl?: string | null;
}

interface Option extends ComboboxItem {
  picked: Picked;
}

const key = (p: Picked) => `${p.kind}:${p.id}`;
const enc = encodeURIComponent;

interface Page<T> {
  items: T[];
}

/** The kernel's directory: people by name, username or e-mail, groups by name — as the server lets the actor see them. */
function useDirectorySearch(kind: Picked["kind"], query: string, enabled: boolean, exclude: readonly string[]) {
  const host = useWebHost();
  return useQuery({
    queryKey: ["directory", kind, query],
    enabled,
    queryFn: async (): Promise<Picked[]> => {
      const q = query ? `&q=${enc(query)}` : "";
      if (kind === "user") {
        const page = await host.api<Page<DirectoryEntry>>("GET", `/api/users?limit=10${q}`);
        return page.items.map((u) => ({
          kind,
          id: u.id,
          label: `${u.displayName} (@${u.username})`,
          avatarUrl: u.avatarUrl,
        }));
      }
      const page = await host.api<Page<PeopleGroup>>("GET", `/api/groups?limit=10${q}`);
      return page.items.map((g) => ({ kind, id: g.id, label: g.name }));
    },
    select: (found) => found.filter((p) => !exclude.includes(p.id)),
  });
}

/**
 * Search-as-you-type picker over the directory's people and/or groups, kept
 * between searches, with avatars in the list and keyboard use from Mantine's
 * combobox (arrows, Enter, Backspace removes the last chip). Every service
 * that invites, assigns or shares uses this one.
 */
export function PeoplePicker({
  label,
  kinds = ["user"],
  value,
  onChange,
  nothingFound,
  maxValues,
  exclude = [],
  error,
  description,
  enabled = true,
  autoFocus = false,
  testId,
}: {
  label: string;
  kinds?: readonly Picked["kind"][];
  value: readonly Picked[];
  onChange: (picked: Picked[]) => void;
  nothingFound: string;
  maxValues?: number;
  /** Ids never offered (the actor themself in a direct message, people already in). */
  exclude?: readonly string[];
  error?: string | null;
  description?: string;
  enabled?: boolean;
  autoFocus?: boolean;
  testId?: string;
}) {
  const [text, setText] = useState("");
  const [query] = useDebouncedValue(text.trim(), 200);
  const users = useDirectorySearch("user", query, enabled && kinds.includes("user"), exclude);
  const groups = useDirectorySearch("group", query, enabled && kinds.includes("group"), exclude);
  const found = [...(users.data ?? []), ...(groups.data ?? [])];
  const options: Option[] = [...value, ...found.filter((f) => !value.some((v) => key(v) === key(f)))].map((p) => ({
    value: key(p),
    label: p.label,
    picked: p,
  }));
  const fetching = users.isFetching || groups.isFetching;
  return (
    <MultiSelect
      label={label}
      description={description}
      data={options}
      value={value.map(key)}
      onChange={(keys) =>
        onChange(keys.map((k) => options.find((o) => o.value === k)?.picked).filter((p): p is Picked => !!p))
      }
      searchable
      searchValue={text}
      onSearchChange={setText}
      // The server already searched (accent- and case-insensitive) and filtered by what the actor may see.
      filter={(({ options: o }) => o) as OptionsFilter}
      nothingFoundMessage={fetching ? undefined : nothingFound}
      maxValues={maxValues}
      error={error}
      data-autofocus={autoFocus || undefined}
      data-testid={testId}
      renderOption={({ option }) => {
        const p = (option as Option).picked;
        return (
          <Group gap="xs" wrap="nowrap">
            {p.kind === "user" && <UserAvatar name={p.label} src={p.avatarUrl ?? null} size={24} />}
            <Text size="sm">{p.label}</Text>
          </Group>
        );
      }}
    />
  );
}
