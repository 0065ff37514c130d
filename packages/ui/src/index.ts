export { defineWebManifest } from "./manifest.ts";
export type { Icon, LazyPart, ManifestTab, Messages, WebManifest } from "./manifest.ts";
export { WebHostProvider, useWebHost } from "./host.tsx";
export type { HostUser, Presence, WebHost } from "./host.tsx";
export { DataTable, type DataColumn } from "./DataTable.tsx";
export { ShownOnceSecret } from "./ShownOnceSecret.tsx";
export { ConfirmDelete } from "./ConfirmDelete.tsx";
export { UserAvatar, UserChip, initials } from "./UserChip.tsx";
