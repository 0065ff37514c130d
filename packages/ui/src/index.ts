export { defineWebManifest } from "./manifest.ts";
export type { Icon, LazyPart, ManifestTab, Messages, WebManifest } from "./manifest.ts";
export { fileOpenPath } from "./file-openers.ts";
export type { FileOpener, OpenableFile } from "./file-openers.ts";
export { WebHostProvider, useWebHost } from "./host.tsx";
export type { HostUser, Presence, WebHost } from "./host.tsx";
export { DataTable, type DataColumn } from "./DataTable.tsx";
export { ShownOnceSecret } from "./ShownOnceSecret.tsx";
export { ConfirmDelete } from "./ConfirmDelete.tsx";
export { UserAvatar, UserChip, initials } from "./UserChip.tsx";
export { Markdown, inline, safeHref } from "./markdown/Markdown.tsx";
export type { MarkdownClasses, MarkdownExtensions } from "./markdown/Markdown.tsx";
export { highlight } from "./markdown/highlight.tsx";
export { problemCode, useProblemText } from "./problem-text.ts";
export { ApiProblem, csrfCookie } from "./same-origin.ts";
export { PeoplePicker, type Picked } from "./PeoplePicker.tsx";
export { PageTitleProvider, usePageTitle } from "./page-title.tsx";
export {
  browserTimeZone,
  currentTimeZone,
  dayKey,
  formatDate,
  formatWhen,
  setProfileTimeZone,
  useDates,
  type DateStyle,
  type Dates,
} from "./dates.ts";
