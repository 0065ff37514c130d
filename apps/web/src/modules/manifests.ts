import { lazy, type ComponentType, type LazyExoticComponent } from "react";
import type { LazyPart, WebManifest } from "@ensemble/ui";
import installed from "virtual:ensemble-modules";

/** The web manifests of this build's services, in module-list order (apps/web/scripts/modules-plugin.ts). */
export const manifests: readonly WebManifest[] = installed;

/** A module's text: `key` in its namespace. */
export interface ModuleText {
  ns: string;
  key: string;
}

/** Every namespace a problem code's text may live in: the shell's, then each module's. */
export const PROBLEM_NAMESPACES = ["translation", ...manifests.map((m) => m.name)];

const searchTypes = new Map<string, ModuleText>(
  manifests.flatMap((m) => Object.entries(m.searchTypes ?? {}).map(([type, key]) => [type, { ns: m.name, key }])),
);
const notificationKinds = new Map<string, ModuleText>(
  manifests.flatMap((m) => Object.entries(m.notificationKinds ?? {}).map(([kind, key]) => [kind, { ns: m.name, key }])),
);

/** The label of a search hit type, when a module declares it. */
export const searchTypeText = (type: string): ModuleText | undefined => searchTypes.get(type);

/** The label of a notification kind, when a module declares it. */
export const notificationKindText = (kind: string): ModuleText | undefined => notificationKinds.get(kind);

const parts = new Map<LazyPart, LazyExoticComponent<ComponentType>>();

/** One React.lazy per loader, so a part keeps its identity across renders. */
export function lazyPart(load: LazyPart): LazyExoticComponent<ComponentType> {
  let part = parts.get(load);
  if (!part) {
    part = lazy(load);
    parts.set(load, part);
  }
  return part;
}
