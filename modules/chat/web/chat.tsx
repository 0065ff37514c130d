import { useWebHost } from "@ensemble/ui";
import { ChatApp } from "./ChatApp.tsx";

/**
 * The chat service's entry, mounted by the shell under /chat/* (named after
 * the service: its chunk is `chat-<hash>.js`).
 */
export default function ChatService() {
  return <ChatApp host={useWebHost()} />;
}
