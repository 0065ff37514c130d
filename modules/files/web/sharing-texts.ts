import i18next from "i18next";
import fr from "./i18n/sharing.fr.json" with { type: "json" };
import en from "./i18n/sharing.en.json" with { type: "json" };

// The sharing texts travel with the chunks that use them (the dialog, the public page), merged into the
// namespace where the manifest's labels are; importing this module registers them once.
if (!i18next.exists("share.title", { ns: "files", lng: "fr" })) {
  i18next.addResourceBundle("fr", "files", fr, true, true);
  i18next.addResourceBundle("en", "files", en, true, true);
}
