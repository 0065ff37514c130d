import { Alert } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api/client.ts";
import { PROBLEM_NAMESPACES } from "../modules/manifests.ts";

/** The translated message for an error, keyed by the problem's stable code (the shell's codes, then the modules'). */
export function useProblemMessage() {
  const { t, i18n } = useTranslation();
  return (error: unknown): string => {
    const code = error instanceof ApiError ? error.code : "generic";
    const key = `problems.${code}`;
    return i18n.exists(key, { ns: PROBLEM_NAMESPACES }) ? t(key, { ns: PROBLEM_NAMESPACES }) : t("problems.generic");
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
