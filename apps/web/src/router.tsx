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
import { AppLayout } from "./layout/AppLayout.tsx";
import { HomePage } from "./pages/HomePage.tsx";
import { lazyPart, manifests } from "./modules/manifests.ts";

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

export const router = createBrowserRouter([
  { path: "/sign-in", element: <SignInPage /> },
  { path: "/setup", element: <SetupPage /> },
  { path: "/invite", element: <InvitePage /> },
  { path: "/forgot-password", element: <ForgotPasswordPage /> },
  { path: "/reset-password", element: <ResetPasswordPage /> },
  {
    path: "/",
    element: (
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    ),
    children: [
      { index: true, element: <HomePage /> },
      ...manifests.flatMap((m) =>
        (m.routes ?? []).map(({ path, load }) => {
          const Part = lazyPart(load);
          return { path, element: lazyPage(<Part />) };
        }),
      ),
      { path: "settings/:tab?", element: lazyPage(<SettingsPage />) },
      {
        path: "admin/:tab?",
        element: <RequireAuth admin>{lazyPage(<AdminPage />)}</RequireAuth>,
      },
      { path: "people/:id", element: lazyPage(<PeoplePage />) },
      { path: "open", element: <OpenLinkPage /> },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
]);
