import { useMutation, useQueryClient } from "@tanstack/react-query";
import { notifications } from "@mantine/notifications";
import { useTranslation } from "react-i18next";
import { patch } from "../api/client.ts";
import type { Me } from "../api/types.ts";

/** PATCH /api/me, then the cached "me" is replaced by the answer (language and time zone apply at once). */
export function useSaveProfile() {
  const qc = useQueryClient();
  const { t } = useTranslation();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => patch<{ user: Me }>("/api/me", body),
    onSuccess: (r) => {
      qc.setQueryData(["me"], r.user);
      notifications.show({ message: t("app.saved"), color: "green" });
    },
  });
}
