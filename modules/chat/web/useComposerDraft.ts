import { useCallback, useEffect, useRef, type Dispatch, type SetStateAction } from "react";
import { useChatApi } from "./hooks.ts";

/**
 * The room's draft, kept on the server so it follows the person across
 * devices: loaded when the room opens (unless something was typed already),
 * saved shortly after typing stops and at once when leaving the room. A
 * thread's composer keeps none.
 */
export function useComposerDraft(
  roomId: string,
  parentId: string | undefined,
  setText: Dispatch<SetStateAction<string>>,
): { save: (text: string) => void; clear: () => void } {
  const api = useChatApi();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const loaded = useRef<string | null>(null);
  const unsaved = useRef<{ roomId: string; text: string } | null>(null);

  useEffect(() => {
    loaded.current = null;
    if (parentId) return;
    let live = true;
    api.draft(roomId).then(
      (d) => {
        if (!live) return;
        loaded.current = d.text;
        setText((cur) => (cur === "" ? d.text : cur));
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, [roomId, parentId, api, setText]);

  const flush = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    const d = unsaved.current;
    unsaved.current = null;
    if (d && d.text !== loaded.current) {
      loaded.current = d.text;
      void api.saveDraft(d.roomId, d.text).catch(() => {});
    }
  }, [api]);
  useEffect(() => flush, [roomId, flush]);

  const save = (text: string) => {
    if (parentId) return;
    unsaved.current = { roomId, text };
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(flush, 800);
  };
  /** After sending: nothing pending, and a saved draft is emptied. */
  const clear = () => {
    if (timer.current) clearTimeout(timer.current);
    unsaved.current = null;
    if (!parentId && loaded.current) {
      loaded.current = "";
      void api.saveDraft(roomId, "").catch(() => {});
    }
  };
  return { save, clear };
}
