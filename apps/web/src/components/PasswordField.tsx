import { PasswordInput, type PasswordInputProps } from "@mantine/core";
import { useTranslation } from "react-i18next";

/**
 * Mantine's password input with its visibility toggle labelled in the user's
 * language and reachable with Tab (Mantine takes it out of the tab order).
 */
export function PasswordField(props: PasswordInputProps) {
  const { t } = useTranslation();
  return (
    <PasswordInput visibilityToggleButtonProps={{ "aria-label": t("app.togglePassword"), tabIndex: 0 }} {...props} />
  );
}
