import { Button, Stack, Text, Title } from "@mantine/core";
import i18next from "i18next";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { usePageTitle, useProblemText } from "@ensemble/ui";
import { attendeeTopic, type AttendeeDto, type MeetingDto } from "../shared/schemas.ts";
import fr from "./i18n/room.fr.json" with { type: "json" };
import en from "./i18n/room.en.json" with { type: "json" };
import { InMeeting, type Session } from "./InMeeting.tsx";
import { JoinScreen, type JoinChoice } from "./JoinScreen.tsx";
import { RoomApiError, roomApi } from "./room-api.ts";
import { RoomSocket } from "./room-socket.ts";

// The room's texts travel with its chunk, merged into the namespace where the manifest's labels are.
if (!i18next.exists("room.join", { ns: "meetings", lng: "fr" })) {
  i18next.addResourceBundle("fr", "meetings", fr, true, true);
  i18next.addResourceBundle("en", "meetings", en, true, true);
}

type Phase =
  | { kind: "join" }
  | { kind: "waiting"; session: Session }
  | { kind: "in"; session: Session }
  | { kind: "over"; why: "denied" | "removed" | "ended" | "left" };

interface Joined {
  meeting: Session["meeting"];
  attendee: AttendeeDto;
  visitorPass: string | null;
}

/** Camera and microphone for the join screen, then the meeting; null when the browser gives none. */
function useDevices() {
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [failed, setFailed] = useState(false);
  const [mic, setMic] = useState(true);
  const [camera, setCamera] = useState(true);
  useEffect(() => {
    let got: MediaStream | null = null;
    let live = true;
    navigator.mediaDevices
      ?.getUserMedia({ audio: true, video: { width: 640, height: 360 } })
      .then((s) => {
        got = s;
        if (live) setStream(s);
        else s.getTracks().forEach((tr) => tr.stop());
      })
      .catch(() => setFailed(true));
    return () => {
      live = false;
      got?.getTracks().forEach((tr) => tr.stop());
    };
  }, []);
  // A switched-off track sends silence or black: the others keep the tile, without sound or picture.
  useEffect(() => stream?.getAudioTracks().forEach((tr) => (tr.enabled = mic)), [stream, mic]);
  useEffect(() => stream?.getVideoTracks().forEach((tr) => (tr.enabled = camera)), [stream, camera]);
  return { stream, failed, mic, camera, setMic, setCamera };
}

/**
 * A meeting's page (`/meetings/<code>`), public: members and people without
 * an account come by the same link. Join screen → knock → the waiting room
 * until a moderator decides → the meeting.
 */
export default function MeetingRoomPage() {
  const { t } = useTranslation("meetings");
  const problemText = useProblemText("meetings");
  const code = useParams().code ?? "";
  const devices = useDevices();
  const [signedIn, setSignedIn] = useState<boolean | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: "join" });
  const [problem, setProblem] = useState<string | null>(null);
  const [needsPassword, setNeedsPassword] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    roomApi("GET", "/api/me").then(
      () => setSignedIn(true),
      () => setSignedIn(false),
    );
  }, []);

  const session = phase.kind === "waiting" || phase.kind === "in" ? phase.session : null;
  usePageTitle(session?.meeting.title);
  useEffect(() => () => session?.socket.close(), [session]);

  const join = useCallback(
    async (choice: JoinChoice) => {
      setProblem(null);
      setBusy(true);
      try {
        const r = await roomApi<Joined>("POST", "/api/meetings/join", {
          code,
          ...(choice.name ? { name: choice.name } : {}),
          ...(choice.password ? { password: choice.password } : {}),
        });
        const mayAdmit =
          signedIn === true &&
          (await roomApi<MeetingDto>("GET", `/api/meetings/${r.meeting.id}`)).viewer.capabilities.includes("admit");
        const socket = new RoomSocket(r.visitorPass);
        const s: Session = { socket, meeting: r.meeting, attendee: r.attendee, mayAdmit };
        const accepted = await socket.subscribe(attendeeTopic(r.attendee.id), {
          onEvent: (name) => {
            if (name === "meetings.attendee.admitted") setPhase({ kind: "in", session: s });
            if (name === "meetings.attendee.denied") setPhase({ kind: "over", why: "denied" });
            if (name === "meetings.attendee.removed") setPhase({ kind: "over", why: "removed" });
            if (name === "meetings.meeting.ended") setPhase({ kind: "over", why: "ended" });
          },
        });
        if (!accepted) throw new RoomApiError(403, "forbidden");
        setPhase({ kind: r.attendee.state === "admitted" ? "in" : "waiting", session: s });
      } catch (e) {
        if (e instanceof RoomApiError && e.code.startsWith("meeting_password")) setNeedsPassword(true);
        setProblem(problemText(e));
      } finally {
        setBusy(false);
      }
    },
    [code, signedIn, problemText],
  );

  const leave = () => {
    if (session) void session.socket.send(`meeting:${session.meeting.id}`, { op: "leave" });
    setPhase({ kind: "over", why: "left" });
  };

  if (phase.kind === "in")
    return (
      <InMeeting
        session={phase.session}
        stream={devices.stream}
        mic={devices.mic}
        camera={devices.camera}
        onMic={devices.setMic}
        onCamera={devices.setCamera}
        onLeave={leave}
      />
    );
  if (phase.kind === "waiting")
    return (
      <Stack component="main" p="md" maw={640} mx="auto" align="start">
        <Title order={1}>{t("room.waitingTitle")}</Title>
        <Text role="status">{t("room.waiting", { title: phase.session.meeting.title })}</Text>
        <Button variant="light" onClick={leave}>
          {t("room.leaveLobby")}
        </Button>
      </Stack>
    );
  if (phase.kind === "over")
    return (
      <Stack component="main" p="md" maw={640} mx="auto" align="start">
        <Title order={1}>{t("room.joinTitle")}</Title>
        <Text role="status">{t(`room.${phase.why}`)}</Text>
        {(phase.why === "left" || phase.why === "removed") && (
          <Button onClick={() => setPhase({ kind: "join" })}>{t("room.rejoin")}</Button>
        )}
      </Stack>
    );
  return (
    <JoinScreen
      code={code}
      stream={devices.stream}
      devicesFailed={devices.failed}
      needsName={signedIn === false}
      needsPassword={needsPassword}
      problem={problem}
      busy={busy || signedIn === null}
      mic={devices.mic}
      camera={devices.camera}
      onMic={devices.setMic}
      onCamera={devices.setCamera}
      onJoin={(c) => void join(c)}
    />
  );
}
