import { Alert } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api/client.ts";

/** The translated message for an error, keyed by the problem's stable code. */
export function useProblemMessage() {
  const { t, i18n } = useTranslation();
  return (error: unknown): string => {
    const code = error instanceof ApiError ? error.code : "generic";
    const key = `problems.${code}`;
    return i18n.exists(key) ? t(key) : t("problems.generic");
  };
}

export function ProblemAlert({ error }: { error: unknown }) {
  const message = useProblemMessage();
  if (!error) return null;
  return (
    <Alert color="red" variant="light" role="alert">
      {message(error)}
    </Alert>
  );
}
