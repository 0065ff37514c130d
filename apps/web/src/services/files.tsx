import { ComingSoon } from "../components/ComingSoon.tsx";

/** The files service's entry: replaced by modules/files/web when that module lands. */
export default function Service() {
  return <ComingSoon service="files" />;
}
