import { Anchor, Badge, Card, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { get } from "../api/client.ts";
import { ProblemAlert } from "../components/ProblemAlert.tsx";
import type { SystemStatus } from "@ensemble/protocol/wire/system";

type Status = SystemStatus;

/** The system at a glance; refreshed when the tab is opened again. */
export function StatusTab() {
  const { t, i18n } = useTranslation();
  const status = useQuery({ queryKey: ["admin-status"], queryFn: () => get<Status>("/api/admin/status") });
  const s = status.data;
  if (!s) return <ProblemAlert error={status.error} />;
  const bytes = (n: number | null) =>
    n === null
      ? "—"
      : new Intl.NumberFormat(i18n.language, {
          style: "unit",
          unit: n >= 1024 ** 3 ? "gigabyte" : "megabyte",
          maximumFractionDigits: 1,
        }).format(n / 1024 ** (n >= 1024 ** 3 ? 3 : 2));
  const num = (n: number) => new Intl.NumberFormat(i18n.language).format(n);
  const state = (ok: boolean | null) =>
    ok === null ? (
      <Badge color="gray" variant="light">
        {t("admin.system.off")}
      </Badge>
    ) : (
      <Badge color={ok ? "green" : "red"} variant="light">
        {ok ? t("admin.system.ok") : t("admin.system.down")}
      </Badge>
    );
  const cards: [string, React.ReactNode, string][] = [
    [
      t("admin.system.version"),
      `Ensemble ${s.version}`,
      `Node.js ${s.node} · ${t("admin.system.uptime", { hours: num(Math.floor(s.uptimeSeconds / 3600)) })}`,
    ],
    [
      t("admin.system.database"),
      state(s.database.ok),
      `${s.database.kind === "postgres" ? "PostgreSQL" : "SQLite"}${s.database.latencyMs !== null ? ` · ${num(s.database.latencyMs)} ms` : ""}`,
    ],
    [
      t("admin.system.redis"),
      state(s.redis.configured ? s.redis.ok : null),
      s.redis.configured ? `${num(s.redis.latencyMs ?? 0)} ms` : t("admin.system.redisOff"),
    ],
    [
      t("admin.system.storage"),
      bytes(s.storage.freeBytes),
      t("admin.system.storageOf", { total: bytes(s.storage.totalBytes) }),
    ],
    [
      t("admin.system.memory"),
      bytes(s.memory.rssBytes),
      t("admin.system.heap", { heap: bytes(s.memory.heapUsedBytes) }),
    ],
    [t("admin.system.connections"), num(s.realtime.connections), t("admin.system.connectionsHint")],
    [
      t("admin.system.mail"),
      state(s.mail.configured ? true : null),
      s.mail.configured ? "SMTP" : t("admin.system.mailOff"),
    ],
    [
      t("admin.system.sso"),
      state(s.sso.configured ? true : null),
      s.sso.ssoOnly ? t("admin.system.ssoOnly") : "OpenID Connect",
    ],
  ];
  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
        {cards.map(([title, value, hint]) => (
          <Card key={title} withBorder padding="md" component="section" aria-label={title}>
            <Title order={2} fz="sm" c="dimmed" fw={600}>
              {title}
            </Title>
            <Text fz="lg" fw={700} mt={4} component="div">
              {value}
            </Text>
            <Text size="sm" c="dimmed">
              {hint}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
      <Text size="sm">
        {t("admin.system.metrics")} <Anchor href="/metrics">/metrics</Anchor> ·{" "}
        <Anchor href="/api/docs">/api/docs</Anchor>
      </Text>
    </Stack>
  );
}
