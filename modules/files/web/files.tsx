import { useEffect, useRef, useState, type FormEvent } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { useTranslation } from "react-i18next";
import {
  ActionIcon,
  Alert,
  Anchor,
  Breadcrumbs,
  Button,
  Group,
  Modal,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import {
  IconDownload,
  IconFileZip,
  IconFile,
  IconFileText,
  IconFolder,
  IconFolderPlus,
  IconShare,
  IconTrash,
  IconUpload,
} from "@tabler/icons-react";
import { DataTable, formatDate, useWebHost } from "@ensemble/ui";
import type { FileNode, FileSpace, FolderListing } from "../shared/wire.ts";
import { SharedWithMe } from "./SharedWithMe.tsx";
import { SharedByMe } from "./SharedByMe.tsx";
import { ShareDialog } from "./ShareDialog.tsx";
import { bytes } from "./format.ts";
import { UploadList } from "./UploadList.tsx";
import { uploadQueue } from "./upload-queue.ts";

/** The files pages: « Partagé avec moi » at /files/shared, « Partagés par moi » at /files/shared-by-me, a folder anywhere else. */
export default function FilesRoute() {
  const params = useParams();
  if (params["*"] === "shared") return <SharedWithMe />;
  return params["*"] === "shared-by-me" ? <SharedByMe /> : <FilesPage />;
}

/** « Mes fichiers »: a folder with breadcrumbs, upload, new folder, download, delete to the trash. */
function FilesPage() {
  const { t, i18n } = useTranslation("files");
  const host = useWebHost();
  const queries = useQueryClient();
  const params = useParams();
  const wanted = params["*"] || null;
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [naming, setNaming] = useState(false);
  const [folderName, setFolderName] = useState("");
  const [sharing, setSharing] = useState<FileNode | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const spaces = useQuery({
    queryKey: ["files", "spaces"],
    queryFn: () => host.api<{ spaces: FileSpace[] }>("GET", "/api/files/spaces"),
    enabled: wanted === null,
  });
  const folderId = wanted ?? spaces.data?.spaces[0]?.rootId ?? null;
  const listing = useQuery({
    queryKey: ["files", "node", folderId],
    queryFn: () => host.api<FolderListing>("GET", `/api/files/nodes/${folderId}`),
    enabled: folderId !== null,
  });

  const explain = (e: unknown) => {
    const code = (e as { code?: string }).code ?? "generic";
    setProblem(t(`problems.${code}`, { defaultValue: t("problems.generic") }));
  };
  const refresh = () => queries.invalidateQueries({ queryKey: ["files"] });
  const act = async (label: string, f: () => Promise<unknown>, done?: string) => {
    setProblem(null);
    setNotice(null);
    setBusy(label);
    try {
      await f();
      if (done) setNotice(done);
      await refresh();
    } catch (e) {
      explain(e);
    } finally {
      setBusy(null);
    }
  };

  // Resumable uploads (tus): each finished file refreshes the listing.
  useEffect(() => {
    uploadQueue.onDone = () => void refresh();
    return () => void (uploadQueue.onDone = null);
  });
  const upload = (files: FileList | null) => {
    if (!files?.length || !folderId) return;
    uploadQueue.add([...files], folderId);
    if (fileInput.current) fileInput.current.value = "";
  };
  const createFolder = (e: FormEvent) => {
    e.preventDefault();
    if (!folderId) return;
    void act(t("page.newFolder"), async () => {
      await host.api("POST", `/api/files/nodes/${folderId}/folders`, { name: folderName });
      setNaming(false);
      setFolderName("");
    });
  };
  const trash = (n: FileNode) =>
    act(
      t("page.trash", { name: n.name }),
      () => host.api("DELETE", `/api/files/nodes/${n.id}`),
      t("page.trashed", { name: n.name }),
    );

  const data = listing.data;
  const date = (iso: string) => formatDate(iso, "dateTime", i18n.language);
  const canWrite = data?.folder.actions.includes("write") === true;
  return (
    <Stack
      p="md"
      gap="md"
      // Files dropped anywhere on the page go into the folder shown (the button does the same by keyboard).
      onDragOver={(e) => canWrite && e.preventDefault()}
      onDrop={(e) => {
        if (!canWrite) return;
        e.preventDefault();
        upload(e.dataTransfer.files);
      }}
    >
      <Group justify="space-between" wrap="wrap">
        <Title order={1}>{t("page.title")}</Title>
        <Group gap="xs">
          <Anchor component={Link} to="/files/shared">
            {t("shared.title")}
          </Anchor>
          <Anchor component={Link} to="/files/shared-by-me">
            {t("byMe.link")}
          </Anchor>
          {data?.folder.actions.includes("share") && data.folder.parentId !== null && (
            <Button variant="default" leftSection={<IconShare size={16} />} onClick={() => setSharing(data.folder)}>
              {t("share.open", { name: data.folder.name })}
            </Button>
          )}
          <input
            ref={fileInput}
            type="file"
            multiple
            hidden
            data-testid="files-upload-input"
            onChange={(e) => upload(e.currentTarget.files)}
          />
          <Button
            leftSection={<IconUpload size={16} />}
            onClick={() => fileInput.current?.click()}
            disabled={!data?.folder.actions.includes("write")}
            loading={busy !== null}
          >
            {t("page.upload")}
          </Button>
          <Button
            variant="default"
            leftSection={<IconFolderPlus size={16} />}
            onClick={() => setNaming(true)}
            disabled={!data?.folder.actions.includes("write")}
          >
            {t("page.newFolder")}
          </Button>
        </Group>
      </Group>
      {data && (
        <nav aria-label={t("page.breadcrumbs")}>
          <Breadcrumbs>
            {data.path.map((p, i) =>
              i === data.path.length - 1 ? (
                <Text key={p.id} aria-current="page" fw={600}>
                  {p.name}
                </Text>
              ) : (
                <Anchor key={p.id} component={Link} to={`/files/${p.id}`}>
                  {p.name}
                </Anchor>
              ),
            )}
          </Breadcrumbs>
        </nav>
      )}
      {data?.space && (
        <Text size="sm" c="dimmed">
          {t("page.usage", { used: bytes(data.space.usedBytes), quota: bytes(data.space.quotaBytes) })}
        </Text>
      )}
      <div aria-live="polite">
        {busy && <Text size="sm">{busy}</Text>}
        {notice && (
          <Alert color="green" withCloseButton onClose={() => setNotice(null)}>
            {notice}
          </Alert>
        )}
        {problem && (
          <Alert color="red" role="alert" withCloseButton onClose={() => setProblem(null)}>
            {problem}
          </Alert>
        )}
      </div>
      <UploadList />
      <DataTable<FileNode>
        data-testid="files-list"
        rows={data?.children}
        loading={listing.isLoading || spaces.isLoading}
        loadingLabel={t("page.loading")}
        error={listing.isError || spaces.isError ? <Alert color="red">{t("page.failed")}</Alert> : undefined}
        empty={t("page.empty")}
        rowKey={(n) => n.id}
        actionsLabel={t("page.actions")}
        columns={[
          {
            key: "name",
            header: t("page.name"),
            cell: (n) => <NodeName node={n} folderLabel={t("page.folder")} />,
          },
          { key: "size", header: t("page.size"), cell: (n) => (n.kind === "file" ? bytes(n.size) : "—") },
          { key: "modified", header: t("page.modified"), cell: (n) => date(n.modifiedAt) },
        ]}
        actions={(n) => (
          <Group gap={4} wrap="nowrap">
            {n.kind === "file" && (
              <ActionIcon
                component="a"
                href={`/api/files/nodes/${n.id}/content`}
                download={n.name}
                variant="subtle"
                aria-label={t("page.download", { name: n.name })}
              >
                <IconDownload size={16} />
              </ActionIcon>
            )}
            {n.kind === "folder" && (
              <ActionIcon
                component="a"
                href={`/api/files/zip?ids=${n.id}`}
                download={`${n.name}.zip`}
                variant="subtle"
                aria-label={t("page.downloadZip", { name: n.name })}
              >
                <IconFileZip size={16} />
              </ActionIcon>
            )}
            {n.actions.includes("share") && (
              <ActionIcon
                variant="subtle"
                aria-label={t("share.open", { name: n.name })}
                onClick={() => setSharing(n)}
                data-testid="files-share"
              >
                <IconShare size={16} />
              </ActionIcon>
            )}
            {n.actions.includes("delete") && (
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={t("page.trash", { name: n.name })}
                onClick={() => void trash(n)}
              >
                <IconTrash size={16} />
              </ActionIcon>
            )}
          </Group>
        )}
      />
      <ShareDialog node={sharing} onClose={() => setSharing(null)} />
      <Modal opened={naming} onClose={() => setNaming(false)} title={t("page.newFolder")} centered>
        <form onSubmit={createFolder}>
          <Stack>
            <TextInput
              label={t("page.folderName")}
              value={folderName}
              onChange={(e) => setFolderName(e.currentTarget.value)}
              required
              data-autofocus
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setNaming(false)}>
                {t("page.cancel")}
              </Button>
              <Button type="submit">{t("page.create")}</Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Stack>
  );
}

/** A row's name: a folder opens its page; a file opens in the service that declared it opens it (the shell's
 * registry of file openers: the docs editor for documents), else it is only downloaded. */
function NodeName({ node, folderLabel }: { node: FileNode; folderLabel: string }) {
  const host = useWebHost();
  if (node.kind === "folder") {
    return (
      <Anchor component={Link} to={`/files/${node.id}`}>
        <Group gap={6} wrap="nowrap">
          <IconFolder size={16} aria-label={folderLabel} />
          {node.name}
        </Group>
      </Anchor>
    );
  }
  const opensAt = host.openPath({ id: node.id, name: node.name, mediaType: node.mimeType });
  const label = (
    <Group gap={6} wrap="nowrap">
      {opensAt ? <IconFileText size={16} aria-hidden /> : <IconFile size={16} aria-hidden />}
      {node.name}
    </Group>
  );
  return opensAt ? (
    <Anchor component={Link} to={opensAt}>
      {label}
    </Anchor>
  ) : (
    label
  );
}
