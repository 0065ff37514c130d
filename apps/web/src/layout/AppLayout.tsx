import { lazy, Suspense, useEffect, useState } from "react";
import {
  Anchor,
  AppShell,
  Avatar,
  Burger,
  Button,
  Group,
  Kbd,
  Menu,
  NavLink,
  ScrollArea,
  Text,
  UnstyledButton,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconCheck, IconHome, IconLogout, IconSearch, IconSettings, IconShieldLock } from "@tabler/icons-react";
import { useQueryClient } from "@tanstack/react-query";
import { NavLink as RouterLink, Outlet, useLocation, useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { post } from "../api/client.ts";
import { useBranding, useMe } from "../api/session.ts";
import { OfflineBanner } from "../components/OfflineBanner.tsx";
import { BrandMark } from "../components/BrandMark.tsx";
import { PageLoader } from "../components/PageLoader.tsx";
import { RealtimeBridge } from "../components/RealtimeBridge.tsx";
import { NotificationBell } from "../notifications/NotificationBell.tsx";
import { closeRealtime, myStatus, setMyStatus, type MyStatus } from "../lib/realtime.ts";
import { manifests } from "../modules/manifests.ts";
import { ModuleHost } from "../modules/ModuleHost.tsx";
import { initials } from "@ensemble/ui";

// Fetched the first time someone opens the search.
const SearchDialog = lazy(() => import("../search/SearchDialog.tsx"));

/** Home, then each service's entry from its manifest, in module-list order. */
const SERVICES = [
  { to: "/", key: "home", ns: "translation", label: "nav.home", icon: IconHome, end: true },
  ...manifests.flatMap((m) =>
    m.nav ? [{ to: m.nav.path, key: m.name, ns: m.name, label: m.nav.label, icon: m.nav.icon, end: false }] : [],
  ),
];

/** The signed-in frame: header with brand and user menu, navigation to the services, the page. */
export function AppLayout() {
  const { t } = useTranslation();
  const me = useMe().data;
  const brand = useBranding().data;
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [searchOpen, setSearchOpen] = useState(false);
  const [status, setStatus] = useState<MyStatus>(myStatus);
  const [searchLoaded, setSearchLoaded] = useState(false);
  const openSearch = () => {
    setSearchLoaded(true);
    setSearchOpen(true);
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "k") {
        e.preventDefault();
        setSearchLoaded(true);
        setSearchOpen(true);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const signOut = async () => {
    void closeRealtime();
    try {
      await post("/api/auth/sign-out");
    } finally {
      qc.setQueryData(["me"], null);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== "me" && q.queryKey[0] !== "branding" });
      navigate("/sign-in", { replace: true });
    }
  };

  const isActive = (to: string, end: boolean) => (end ? location.pathname === to : location.pathname.startsWith(to));
  const links = [
    ...SERVICES,
    ...(me?.capabilities?.includes("org.administer")
      ? [{ to: "/admin", key: "admin", ns: "translation", label: "nav.admin", icon: IconShieldLock, end: false }]
      : []),
  ];

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: "sm", collapsed: { mobile: !opened } }}
      padding="lg"
    >
      <a href="#main" className="skip-link">
        {t("app.skipToContent")}
      </a>
      <AppShell.Header className="brand-header">
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          {/* The brand's name gives way (truncated) so that the search, the bell and the user menu stay on a phone. */}
          <Group gap="sm" wrap="nowrap" miw={0}>
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              color="var(--ensemble-on-brand)"
              aria-label={t("nav.toggleNav")}
            />
            <BrandMark size={30} />
            <Text fw={700} fz="lg" c="var(--ensemble-on-brand)" truncate>
              {brand?.name ?? "Ensemble"}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Button
              variant="white"
              color="dark"
              size="sm"
              className="header-search"
              leftSection={<IconSearch size={16} aria-hidden="true" />}
              rightSection={
                <Kbd size="xs" visibleFrom="md">
                  {t("search.hint")}
                </Kbd>
              }
              onClick={openSearch}
              aria-keyshortcuts="Control+K Meta+K"
            >
              <span className="header-search-label">{t("nav.search")}</span>
            </Button>
            <NotificationBell />
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <UnstyledButton data-testid="user-menu" title={t("nav.userMenu", { name: me?.displayName ?? "" })}>
                  <Group gap="xs" wrap="nowrap">
                    <Avatar
                      src={me?.avatarUrl ?? null}
                      alt=""
                      radius="xl"
                      size={34}
                      color="dark"
                      variant="white"
                      aria-hidden="true"
                    >
                      {initials(me?.displayName ?? "")}
                    </Avatar>
                    <Text c="var(--ensemble-on-brand)" className="user-name" fw={500}>
                      {me?.displayName}
                    </Text>
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                {(["online", "away", "dnd"] as const).map((st) => (
                  <Menu.Item
                    key={st}
                    leftSection={<span className={`presence-dot presence-${st}`} aria-hidden="true" />}
                    rightSection={
                      status === st ? (
                        <>
                          <IconCheck size={14} aria-hidden="true" />
                          <span className="visually-hidden">{t("presence.current")}</span>
                        </>
                      ) : null
                    }
                    onClick={() => {
                      setStatus(st);
                      void setMyStatus(st);
                    }}
                  >
                    {t(`people.presence.${st}`)}
                  </Menu.Item>
                ))}
                <Menu.Divider />
                <Menu.Item
                  leftSection={<IconSettings size={16} aria-hidden="true" />}
                  onClick={() => {
                    navigate("/settings");
                  }}
                >
                  {t("nav.settings")}
                </Menu.Item>
                <Menu.Item leftSection={<IconLogout size={16} aria-hidden="true" />} onClick={() => void signOut()}>
                  {t("nav.signOut")}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" component="nav" aria-label={t("nav.main")}>
        <ScrollArea>
          {links.map(({ to, key, ns, label, icon: Icon, end }) => (
            <NavLink
              key={key}
              component={RouterLink}
              to={to}
              end={end}
              label={t(label, { ns })}
              leftSection={<Icon size={20} aria-hidden="true" />}
              active={isActive(to, end)}
              aria-current={isActive(to, end) ? "page" : undefined}
              onClick={close}
              variant="filled"
            />
          ))}
          <NavLink
            component={RouterLink}
            to="/settings"
            label={t("nav.settings")}
            leftSection={<IconSettings size={20} aria-hidden="true" />}
            active={location.pathname.startsWith("/settings")}
            aria-current={location.pathname.startsWith("/settings") ? "page" : undefined}
            onClick={close}
            variant="filled"
          />
        </ScrollArea>
        <Anchor component={RouterLink} to="/accessibility" size="xs" mt="auto" pt="sm">
          {t("statement.footer")}
        </Anchor>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <OfflineBanner />
        {me && <RealtimeBridge userId={me.id} />}
        {searchLoaded && (
          <Suspense fallback={null}>
            <SearchDialog opened={searchOpen} onClose={() => setSearchOpen(false)} />
          </Suspense>
        )}
        <ModuleHost>
          <Suspense fallback={<PageLoader />}>
            <Outlet />
          </Suspense>
        </ModuleHost>
      </AppShell.Main>
    </AppShell>
  );
}
