import type { ComponentType } from "react";
import type { FileOpener } from "./file-openers.ts";

/** A tree of texts, as in an i18next resource bundle. */
export interface Messages {
  [key: string]: string | Messages;
}

/** A part of a module's UI that is fetched the first time it is shown (its own chunk). */
export type LazyPart = () => Promise<{ default: ComponentType }>;

/** An icon component (Tabler's icons fit). */
export type Icon = ComponentType<{ size?: number; "aria-hidden"?: boolean | "true" }>;

/** A tab a module adds to the shell's settings or administration page (`/settings/<id>`, `/admin/<id>`). */
export interface ManifestTab {
  id: string;
  /** Key in the module's texts. */
  label: string;
  load: LazyPart;
}

/**
 * What a service's `web/` gives the shell (`modules/<name>/web` exports it as
 * default). The shell renders whatever manifests the module list gives it and
 * names no service. Every label is a key in the module's own texts, which
 * the shell registers as the i18next namespace `name`.
 */
export interface WebManifest {
  /** The module's code name (`chat`): its i18next namespace, the prefix of its kinds and types. */
  name: string;
  /**
   * Texts loaded with the shell (labels for navigation, cards, tabs, search
   * types, notification kinds, `problems.<code>` for its problem codes). Keep
   * them small: the rest travels with the module's lazy parts.
   */
  messages: { fr: Messages; en: Messages };
  /** Pages under the signed-in layout, relative to `/` (`chat/*`). */
  routes?: readonly { path: string; load: LazyPart }[];
  /**
   * Whole-window pages outside the signed-in layout, for people with or
   * without an account (a meeting's link). A more specific path than a
   * signed-in route wins over it (`/meetings/:code` over `/meetings/*`).
   */
  publicRoutes?: readonly { path: string; load: LazyPart }[];
  /** The navigation entry. */
  nav?: { label: string; icon: Icon; path: string };
  /** Cards of the home page ("what needs me today"). */
  homeCards?: readonly {
    id: string;
    title: string;
    icon: Icon;
    link?: { label: string; path: string };
    load: LazyPart;
  }[];
  /** Tabs of the administration page (administrators only). */
  adminTabs?: readonly ManifestTab[];
  /** Tabs of the personal settings page. */
  settingsTabs?: readonly ManifestTab[];
  /** Search hit type (`chat.message`) → label key of its group in the search dialog. */
  searchTypes?: Readonly<Record<string, string>>;
  /** Notification kind (`chat.mention`) → label key in the notification settings. */
  notificationKinds?: Readonly<Record<string, string>>;
  /**
   * This module's problem codes (its `shared/` table, as its server declares
   * them): each is translated under `problems.<code>` in `messages`.
   */
  problemCodes?: Readonly<Record<string, number>>;
  /**
   * Files of Partageons this module opens (by name ending or media type) and
   * the page that opens them; the files UI asks the shell (`useWebHost().openPath`).
   */
  fileOpeners?: readonly FileOpener[];
  /** Actions offered by the Ctrl+K dialog: a label and where it goes. */
  actions?: readonly { id: string; label: string; path: string; icon?: Icon }[];
}

export const defineWebManifest = (m: WebManifest): WebManifest => m;
