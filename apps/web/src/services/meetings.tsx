import { ComingSoon } from "../components/ComingSoon.tsx";

/** The meetings service's entry: replaced by modules/meetings/web when that module lands. */
export default function Service() {
  return <ComingSoon service="meetings" />;
}
