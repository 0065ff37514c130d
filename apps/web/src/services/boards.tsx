import { ComingSoon } from "../components/ComingSoon.tsx";

/** The boards service's entry: replaced by modules/boards/web when that module lands. */
export default function Service() {
  return <ComingSoon service="boards" />;
}
