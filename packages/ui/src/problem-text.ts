import i18next from "i18next";
import { useCallback } from "react";
import { useTranslation } from "react-i18next";

/** A problem code from an API error (the shell's ApiError carries `code` and `status`), else `internal`. */
export function problemCode(e: unknown): string {
  return typeof e === "object" && e !== null && "code" in e && typeof e.code === "string" ? e.code : "internal";
}

/**
 * An API error as a readable sentence for a module's UI: the module's own
 * problem texts (`problems.<code>` in its namespace), then the shell's, then
 * the shell's generic « internal » text.
 */
export function useProblemText(moduleNs: string): (e: unknown) => string {
  const { t } = useTranslation();
  return useCallback(
    (e: unknown) => {
      const code = problemCode(e);
      const ns = [moduleNs, "translation"];
      return i18next.exists(`problems.${code}`, { ns })
        ? t(`problems.${code}`, { ns })
        : t("problems.internal", { ns: "translation" });
    },
    [t, moduleNs],
  );
}
