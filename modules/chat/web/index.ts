export { ChatApp } from "./ChatApp.tsx";
export type { ChatHost, ChatUser, Presence } from "./host.tsx";
