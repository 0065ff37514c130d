import { useEffect, useState, type FormEvent } from "react";
import { Link, Route, Routes, useNavigate } from "react-router";
import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  Loader,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useWebHost } from "@ensemble/ui";
import type { Board, Visibility } from "../shared/schemas.ts";
import { boardsApi } from "./api.ts";
import { BoardPage } from "./BoardPage.tsx";
import { MyTasks } from "./MyTasks.tsx";
import { useProblemText } from "@ensemble/ui";

/** The boards service, mounted by the shell under /boards/*. */
export default function BoardsApp() {
  return (
    <Routes>
      <Route index element={<BoardsHome />} />
      <Route path=":boardId" element={<BoardPage />} />
    </Routes>
  );
}

/** « Mes tableaux »: the boards the person may open, and a form to create one. */
function BoardsHome() {
  const host = useWebHost();
  const api = boardsApi(host);
  const { t } = useTranslation("boards");
  const problem = useProblemText("boards");
  const navigate = useNavigate();
  const [boards, setBoards] = useState<Board[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [title, setTitle] = useState("");
  const [visibility, setVisibility] = useState<Visibility>("private");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const mayCreate = host.me.capabilities.includes("boards.create");

  useEffect(() => {
    let live = true;
    boardsApi(host)
      .boards()
      .then((r) => live && setBoards(r.items))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [host]);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (!title.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const lists = t("home.defaultLists").split(",");
      const board = await api.create({ title: title.trim(), visibility, lists });
      void navigate(`/boards/${board.id}`);
    } catch (err) {
      setError(problem(err));
      setBusy(false);
    }
  };

  return (
    <Stack p="md" gap="md">
      <Title order={1}>{t("home.title")}</Title>
      <MyTasks />
      {mayCreate && (
        <form onSubmit={(e) => void create(e)} aria-label={t("home.create")}>
          <Group align="end" wrap="wrap">
            <TextInput
              label={t("home.titleLabel")}
              value={title}
              onChange={(e) => setTitle(e.currentTarget.value)}
              maxLength={200}
              required
            />
            <Select
              label={t("home.visibilityLabel")}
              value={visibility}
              onChange={(v) => v && setVisibility(v as Visibility)}
              data={(["private", "organisation"] as const).map((v) => ({ value: v, label: t(`visibility.${v}`) }))}
              allowDeselect={false}
            />
            <Button type="submit" loading={busy}>
              {t("home.submit")}
            </Button>
          </Group>
          {error && (
            <Alert color="red" mt="sm" role="alert">
              {error}
            </Alert>
          )}
        </form>
      )}
      {failed ? (
        <Alert color="red" role="alert">
          {t("home.error")}
        </Alert>
      ) : boards === null ? (
        <Group>
          <Loader size="sm" />
          <Text>{t("home.loading")}</Text>
        </Group>
      ) : boards.length === 0 ? (
        <Text c="dimmed">{t("home.empty")}</Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} component="ul" style={{ listStyle: "none", padding: 0 }}>
          {boards.map((b) => (
            <Card component="li" key={b.id} withBorder padding="md">
              <Anchor component={Link} to={`/boards/${b.id}`} fw={600}>
                {b.title}
              </Anchor>
              <Text size="sm" c="dimmed">
                {t(`visibility.${b.visibility}`)}
              </Text>
            </Card>
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}
