import { Suspense } from "react";
import { Loader, Tabs } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { usePageTitle, type ManifestTab, type WebManifest } from "@ensemble/ui";
import { lazyPart, manifests } from "./manifests.ts";

/** The tabs the modules add to a shell page, each with its value in the URL (`<module>-<id>`). */
export function moduleTabs(pick: (m: WebManifest) => readonly ManifestTab[] | undefined) {
  return manifests.flatMap((m) => (pick(m) ?? []).map((tab) => ({ ns: m.name, value: `${m.name}-${tab.id}`, ...tab })));
}

type ModuleTab = ReturnType<typeof moduleTabs>[number];

export function ModuleTabList({ tabs }: { tabs: readonly ModuleTab[] }) {
  const { t } = useTranslation();
  return tabs.map(({ value, ns, label }) => (
    <Tabs.Tab key={value} value={value}>
      {t(label, { ns })}
    </Tabs.Tab>
  ));
}

export function ModuleTabPanels({ tabs }: { tabs: readonly ModuleTab[] }) {
  const { t } = useTranslation();
  return tabs.map(({ value, load }) => {
    const Part = lazyPart(load);
    return (
      <Tabs.Panel key={value} value={value} pt="lg">
        <Suspense fallback={<Loader aria-label={t("app.loading")} />}>
          <Part />
        </Suspense>
      </Tabs.Panel>
    );
  });
}

/** Names the open tab in the page title (« Mot de passe — Paramètres — … »): a shell tab's label key, or a module tab. */
export function useTabTitle(current: string | undefined, shellKey: string | undefined, tabs: readonly ModuleTab[]) {
  const { t } = useTranslation();
  const tab = tabs.find((m) => m.value === current);
  usePageTitle(tab ? t(tab.label, { ns: tab.ns }) : shellKey ? t(shellKey) : undefined);
}
