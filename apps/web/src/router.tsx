import { lazy, Suspense, type ReactNode } from "react";
import { createBrowserRouter, Navigate, useLocation } from "react-router";
import { PageLoader } from "./components/PageLoader.tsx";
import { ServerUnreachable } from "./components/ServerUnreachable.tsx";
import { useMe } from "./api/session.ts";
import { SignInPage } from "./pages/SignInPage.tsx";
import { SetupPage } from "./pages/SetupPage.tsx";
import { InvitePage } from "./pages/InvitePage.tsx";
import { ForgotPasswordPage } from "./pages/ForgotPasswordPage.tsx";
import { ResetPasswordPage } from "./pages/ResetPasswordPage.tsx";
import { OpenLinkPage } from "./pages/OpenLinkPage.tsx";
import { NotFoundPage } from "./pages/NotFoundPage.tsx";
import { AccessibilityStatementPage } from "./pages/AccessibilityStatementPage.tsx";
import { AppLayout } from "./layout/AppLayout.tsx";
import { HomePage } from "./pages/HomePage.tsx";
import { lazyPart, manifests } from "./modules/manifests.ts";
import { PageFrame, type RouteTitle } from "./layout/PageFrame.tsx";

// Each service (its manifest's routes) and the heavier screens are separate chunks, fetched when first opened.
const SettingsPage = lazy(() => import("./settings/SettingsPage.tsx"));
const AdminPage = lazy(() => import("./admin/AdminPage.tsx"));
const PeoplePage = lazy(() => import("./people/PeoplePage.tsx"));

const lazyPage = (node: ReactNode) => <Suspense fallback={<PageLoader />}>{node}</Suspense>;

/** Signed-in pages: anyone else goes to the sign-in page and comes back afterwards. */
function RequireAuth({ children, admin = false }: { children: ReactNode; admin?: boolean }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <PageLoader />;
  if (me.isError) return <ServerUnreachable onRetry={() => void me.refetch()} />;
  if (!me.data) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/sign-in?next=${next}`} replace />;
  }
  if (admin && !me.data.capabilities?.includes("org.administer")) return <NotFoundPage />;
  return <>{children}</>;
}

/** A route's section in the document title (PageFrame): a key of the shell's texts, or of a module's. */
const titled = (title: string, ns?: string): { handle: RouteTitle } => ({ handle: ns ? { title, ns } : { title } });

export const router = createBrowserRouter([
  {
    element: <PageFrame />,
    children: [
      { path: "/sign-in", element: <SignInPage />, ...titled("auth.signInTitle") },
      { path: "/setup", element: <SetupPage />, ...titled("auth.setupTitle") },
      { path: "/invite", element: <InvitePage />, ...titled("titles.invite") },
      { path: "/forgot-password", element: <ForgotPasswordPage />, ...titled("auth.resetRequestTitle") },
      { path: "/reset-password", element: <ResetPasswordPage />, ...titled("auth.resetTitle") },
      { path: "/accessibility", element: <AccessibilityStatementPage />, ...titled("statement.title") },
      // Whole-window pages of a service, with or without an account (a meeting's link).
      ...manifests.flatMap((m) =>
        (m.publicRoutes ?? []).map(({ path, load }) => {
          const Part = lazyPart(load);
          return { path: `/${path}`, element: lazyPage(<Part />), ...titled(m.nav?.label ?? m.name, m.name) };
        }),
      ),
      {
        path: "/",
        element: (
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        ),
        children: [
          { index: true, element: <HomePage />, ...titled("nav.home") },
          // A service's pages are titled with its navigation label; each page may name what it shows (usePageTitle).
          ...manifests.flatMap((m) =>
            (m.routes ?? []).map(({ path, load }) => {
              const Part = lazyPart(load);
              return { path, element: lazyPage(<Part />), ...titled(m.nav?.label ?? m.name, m.name) };
            }),
          ),
          { path: "settings/:tab?", element: lazyPage(<SettingsPage />), ...titled("nav.settings") },
          {
            path: "admin/:tab?",
            element: <RequireAuth admin>{lazyPage(<AdminPage />)}</RequireAuth>,
            ...titled("nav.admin"),
          },
          { path: "people/:id", element: lazyPage(<PeoplePage />), ...titled("people.title") },
          { path: "open", element: <OpenLinkPage /> },
          { path: "*", element: <NotFoundPage />, ...titled("app.notFoundTitle") },
        ],
      },
    ],
  },
]);
