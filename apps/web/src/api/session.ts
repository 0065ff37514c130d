import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { browserTimeZone } from "@ensemble/ui";
import { ApiError, get, patch } from "./client.ts";
import type { Branding, Me } from "./types.ts";

/** The signed-in user, or null when nobody is signed in. */
export function useMe() {
  return useQuery({
    queryKey: ["me"],
    queryFn: async (): Promise<Me | null> => {
      try {
        const r = await get<{ user: Me; capabilities: string[] }>("/api/me");
        return { ...r.user, capabilities: r.capabilities };
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
  });
}

export function useBranding() {
  return useQuery({
    queryKey: ["branding"],
    queryFn: async (): Promise<Branding> => {
      try {
        return await get<Branding>("/api/branding");
      } catch {
        // Offline (or an old server): the shell keeps the product's defaults.
        return { name: "Ensemble", color: "#000091", defaultLocale: "fr", logoUrl: null };
      }
    },
    staleTime: 30_000,
    refetchOnWindowFocus: true,
  });
}

export function useSetMe() {
  const qc = useQueryClient();
  return (me: Me | null) => {
    qc.setQueryData(["me"], me);
    // Answers that carry the user alone (sign-in, profile) lack the capabilities: read them again.
    if (me && !me.capabilities) void qc.invalidateQueries({ queryKey: ["me"] });
  };
}

/**
 * A new account (first admin, accepted invitation) keeps the language chosen
 * on the page that created it, and the browser's time zone, instead of the
 * server's defaults: the profile's zone is what every date is shown in.
 */
export function useAdoptNewAccount() {
  const setMe = useSetMe();
  const { i18n } = useTranslation();
  return async (user: Me) => {
    const zone = browserTimeZone();
    if (user.locale === i18n.language && user.timeZone === zone) return setMe(user);
    try {
      const r = await patch<{ user: Me }>("/api/me", { locale: i18n.language, timeZone: zone });
      setMe(r.user);
    } catch {
      setMe(user);
    }
  };
}
