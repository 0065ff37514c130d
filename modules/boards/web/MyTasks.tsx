import { useEffect, useState } from "react";
import { Link } from "react-router";
import { Alert, Anchor, Badge, Group, Loader, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useWebHost } from "@ensemble/ui";
import type { MyTasks as Tasks } from "../shared/schemas.ts";
import { boardsApi } from "./api.ts";

/** « Mes tâches »: my open cards on every board, soonest due first, each a link to its board. */
export function MyTasks() {
  const host = useWebHost();
  const { t, i18n } = useTranslation("boards");
  const [tasks, setTasks] = useState<Tasks["items"] | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    boardsApi(host)
      .myTasks()
      .then((r) => live && setTasks(r.items))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [host]);

  return (
    <Stack gap="xs" component="section" aria-labelledby="boards-my-tasks">
      <Title order={2} size="h3" id="boards-my-tasks">
        {t("myTasks.title")}
      </Title>
      {failed ? (
        <Alert color="red" role="alert">
          {t("myTasks.error")}
        </Alert>
      ) : tasks === null ? (
        <Group>
          <Loader size="sm" />
          <Text>{t("myTasks.loading")}</Text>
        </Group>
      ) : tasks.length === 0 ? (
        <Text c="dimmed">{t("myTasks.empty")}</Text>
      ) : (
        <Stack component="ul" gap={4} style={{ listStyle: "none", padding: 0, margin: 0 }}>
          {tasks.map((c) => (
            <Group component="li" key={c.id} gap="xs" data-task={c.title}>
              <Anchor component={Link} to={`/boards/${c.boardId}`}>
                {c.title}
              </Anchor>
              <Text size="sm" c="dimmed">
                {c.boardTitle}
              </Text>
              {c.dueAt && (
                <Badge size="sm" variant="light">
                  {t("card.dueBadge", { date: new Date(c.dueAt).toLocaleDateString(i18n.language) })}
                </Badge>
              )}
            </Group>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
