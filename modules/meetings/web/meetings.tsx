import { Alert, Button, Card, Group, Stack, Text, TextInput, Title } from "@mantine/core";
import { IconVideoPlus } from "@tabler/icons-react";
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { formatDate, useProblemText, useWebHost } from "@ensemble/ui";
import { normaliseMeetingCode } from "../shared/code.ts";
import type { MeetingDto } from "../shared/schemas.ts";

/** Réunions: « Mes réunions », « Nouvelle réunion », « Rejoindre avec un code ». */
export default function MeetingsPage() {
  const { t, i18n } = useTranslation("meetings");
  const host = useWebHost();
  const problemText = useProblemText("meetings");
  const [meetings, setMeetings] = useState<MeetingDto[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [code, setCode] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const navigate = useNavigate();

  const load = useCallback(() => {
    setFailed(false);
    host
      .api<{ meetings: MeetingDto[] }>("GET", "/api/meetings")
      .then((r) => setMeetings(r.meetings))
      .catch(() => setFailed(true));
  }, [host]);
  useEffect(load, [load]);

  const create = async () => {
    setProblem(null);
    try {
      const m = await host.api<MeetingDto>("POST", "/api/meetings", { kind: "instant", title: t("page.instantTitle") });
      void navigate(`/meetings/${m.code}`);
    } catch (e) {
      setProblem(problemText(e));
    }
  };

  // The room's own page knocks (after the camera preview); a code is typed in any case and spacing.
  const join = (e: FormEvent) => {
    e.preventDefault();
    const normal = normaliseMeetingCode(code);
    if (normal) void navigate(`/meetings/${normal}`);
    else setProblem(problemText({ code: "not_found" }));
  };

  const when = (m: MeetingDto) =>
    m.startsAt
      ? t("page.at", {
          date: formatDate(m.startsAt, "dateTime", i18n.language),
          minutes: m.durationMinutes,
        })
      : m.kind === "permanent"
        ? t("page.permanent")
        : t("page.instant");

  return (
    <Stack p="md" maw={900}>
      <Title order={1}>{t("page.title")}</Title>
      <Group align="end">
        <Button leftSection={<IconVideoPlus size={18} />} onClick={() => void create()}>
          {t("page.new")}
        </Button>
        <form onSubmit={join} aria-label={t("page.joinWithCode")}>
          <Group align="end" gap="xs">
            <TextInput
              label={t("page.codeLabel")}
              placeholder={t("page.codeHint")}
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
              required
            />
            <Button type="submit" variant="light">
              {t("page.joinWithCode")}
            </Button>
          </Group>
        </form>
      </Group>
      {problem && (
        <Alert color="red" role="alert">
          {problem}
        </Alert>
      )}
      <Title order={2}>{t("page.mine")}</Title>
      {failed ? (
        <Alert color="red">{t("page.failed")}</Alert>
      ) : meetings === null ? (
        <Text c="dimmed">{t("page.loading")}</Text>
      ) : meetings.length === 0 ? (
        <Text c="dimmed">{t("page.empty")}</Text>
      ) : (
        <Stack component="ul" gap="xs" style={{ listStyle: "none", padding: 0 }}>
          {meetings.map((m) => (
            <Card component="li" key={m.id} withBorder>
              <Group justify="space-between">
                <Stack gap={0}>
                  <Text fw={600}>{m.title}</Text>
                  <Text size="sm" c="dimmed">
                    {when(m)} · {t("page.code", { code: m.code })}
                  </Text>
                </Stack>
                <Button variant="light" onClick={() => void navigate(`/meetings/${m.code}`)}>
                  {t("page.join")}
                </Button>
              </Group>
            </Card>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
