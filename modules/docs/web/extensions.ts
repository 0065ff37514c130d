import StarterKit from "@tiptap/starter-kit";
import { TaskItem, TaskList } from "@tiptap/extension-list";

/** The document's schema as the editor and the version viewer share it (Yjs's undo/redo replaces StarterKit's). */
export const documentExtensions = () => [
  StarterKit.configure({ undoRedo: false, link: { openOnClick: false, protocols: ["http", "https", "mailto"] } }),
  TaskList,
  TaskItem.configure({ nested: true }),
];
