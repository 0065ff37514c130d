import { ComingSoon } from "../components/ComingSoon.tsx";

/** The chat service's entry: replaced by modules/chat/web when that module lands. */
export default function Service() {
  return <ComingSoon service="chat" />;
}
