import i18next from "i18next";
import { Navigate, Route, Routes } from "react-router";
import fr from "./i18n/fr.json" with { type: "json" };
import en from "./i18n/en.json" with { type: "json" };
import { SheetPage } from "./SheetPage.tsx";

// The spreadsheet's texts travel with its chunk, into the `docs` namespace beside the manifest's labels.
if (!i18next.exists("sheets.loading", { ns: "docs", lng: "fr" })) {
  i18next.addResourceBundle("fr", "docs", fr, true, true);
  i18next.addResourceBundle("en", "docs", en, true, true);
}

/** `/sheets/:id`: a spreadsheet (a new one starts from « Documents »). */
export default function SheetsPages() {
  return (
    <Routes>
      <Route index element={<Navigate to="/docs" replace />} />
      <Route path=":id" element={<SheetPage />} />
    </Routes>
  );
}
