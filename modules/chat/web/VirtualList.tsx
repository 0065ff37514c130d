import { useCallback, useEffect, useLayoutEffect, useMemo, useReducer, useRef, type ReactNode, type Ref } from "react";

export interface VirtualListHandle {
  scrollToKey(key: string): void;
  scrollToBottom(): void;
}

interface Props<T> {
  items: readonly T[];
  itemKey: (item: T) => string;
  render: (item: T, index: number) => ReactNode;
  estimate?: number;
  /** Scrolled near the top/bottom: load more history. */
  onNearTop?: () => void;
  onNearBottom?: () => void;
  onAtBottomChange?: (atBottom: boolean) => void;
  handle?: Ref<VirtualListHandle | null>;
  label: string;
  className?: string;
  /** Rows that may hold the reader's place (not ones that move when history is prepended, e.g. a day separator). */
  canAnchor?: (key: string) => boolean;
}

const OVERSCAN = 800;

/** Where each row starts (measured heights, else the estimate); the last entry is the total. */
function offsetsOf(keys: readonly string[], heights: Map<string, number>, estimate: number): number[] {
  const o = new Array<number>(keys.length + 1);
  o[0] = 0;
  for (let i = 0; i < keys.length; i++) o[i + 1] = o[i]! + (heights.get(keys[i]!) ?? estimate);
  return o;
}

function indexAt(offsets: readonly number[], count: number, y: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((offsets[mid + 1] ?? 0) <= y) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(lo, Math.max(0, count - 1));
}

function windowOf(offsets: readonly number[], count: number, top: number, height: number): [number, number] {
  return count
    ? [indexAt(offsets, count, Math.max(0, top - OVERSCAN)), indexAt(offsets, count, top + height + OVERSCAN) + 1]
    : [0, 0];
}

/**
 * A windowed list for a chat: only the rows near the viewport are in the DOM,
 * heights are measured as rows render, it sticks to the bottom while the
 * reader is there, and keeps the row they look at in place when history is
 * prepended above.
 */
export function VirtualList<T>({
  items,
  itemKey,
  render,
  estimate = 56,
  onNearTop,
  onNearBottom,
  onAtBottomChange,
  handle,
  label,
  className,
  canAnchor,
}: Props<T>) {
  const box = useRef<HTMLDivElement>(null);
  const heights = useRef(new Map<string, number>());
  const [, force] = useReducer((x: number) => x + 1, 0);
  const loops = useRef(0);
  const atBottom = useRef(true);
  const anchor = useRef<{ key: string; delta: number } | null>(null);
  const lastSet = useRef(-1);
  const keys = useMemo(() => items.map(itemKey), [items, itemKey]);

  // Read at render time from the element and the measured heights (no stale copies).
  const offsets = offsetsOf(keys, heights.current, estimate);
  const total = offsets[keys.length] ?? 0;
  const [start, end] = windowOf(offsets, keys.length, box.current?.scrollTop ?? 0, box.current?.clientHeight ?? 800);

  const setTop = (el: HTMLElement, top: number) => {
    el.scrollTop = top;
    lastSet.current = el.scrollTop;
  };
  const again = () => {
    loops.current = 0;
    force();
  };

  const onScroll = () => {
    const el = box.current;
    if (!el) return;
    // Our own scrolls (sticking to the bottom while rows are measured) do not change the reader's intent.
    const ours = Math.abs(el.scrollTop - lastSet.current) <= 1;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    if (!ours && bottom !== atBottom.current) {
      atBottom.current = bottom;
      onAtBottomChange?.(bottom);
    }
    if (!ours && keys.length) {
      const o = offsetsOf(keys, heights.current, estimate);
      let i = indexAt(o, keys.length, el.scrollTop);
      while (canAnchor && i < keys.length - 1 && !canAnchor(keys[i]!)) i += 1;
      anchor.current = { key: keys[i]!, delta: (o[i] ?? 0) - el.scrollTop };
    }
    again();
    if (el.scrollTop < 600) onNearTop?.();
    if (el.scrollHeight - el.scrollTop - el.clientHeight < 600) onNearBottom?.();
  };

  // After every commit: measure the new rows, stay at the bottom or keep the anchored row in place,
  // and render again if the rows in view changed (bounded: each pass measures rows and converges).
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    let changed = false;
    for (const row of el.querySelectorAll<HTMLElement>(":scope > [data-key]")) {
      const key = row.dataset.key!;
      const h = row.offsetHeight;
      if (h && heights.current.get(key) !== h) {
        heights.current.set(key, h);
        changed = true;
      }
    }
    const o = changed ? offsetsOf(keys, heights.current, estimate) : offsets;
    if (changed) {
      // The spacers follow the measured heights before the position is fixed.
      const [s, e] = [start, end];
      (el.firstElementChild as HTMLElement).style.height = `${o[s] ?? 0}px`;
      (el.lastElementChild as HTMLElement).style.height = `${Math.max(0, (o[keys.length] ?? 0) - (o[e] ?? 0))}px`;
    }
    if (atBottom.current) setTop(el, el.scrollHeight);
    else if (anchor.current) {
      const i = keys.indexOf(anchor.current.key);
      if (i >= 0) setTop(el, (o[i] ?? 0) - anchor.current.delta);
    }
    const [s2, e2] = windowOf(o, keys.length, el.scrollTop, el.clientHeight);
    if ((changed || s2 !== start || e2 !== end) && loops.current++ < 30) force();
  });

  // Rows that change height later (images loading, edits, reactions) and a resized viewport.
  const observer = useMemo(
    () => (typeof ResizeObserver === "undefined" ? null : new ResizeObserver(() => again())),
    [],
  );
  useEffect(() => {
    if (box.current) observer?.observe(box.current);
    return () => observer?.disconnect();
  }, [observer]);
  const rowRef = useCallback((el: HTMLDivElement | null) => void (el && observer?.observe(el)), [observer]);

  const scrollToKey = useCallback(
    (key: string) => {
      const el = box.current;
      const i = keys.indexOf(key);
      if (!el || i < 0) return;
      atBottom.current = false;
      onAtBottomChange?.(false);
      const delta = Math.round(el.clientHeight / 3);
      anchor.current = { key, delta };
      setTop(el, (offsetsOf(keys, heights.current, estimate)[i] ?? 0) - delta);
      again();
    },
    [keys, estimate, onAtBottomChange],
  );
  const scrollToBottom = useCallback(() => {
    const el = box.current;
    if (!el) return;
    atBottom.current = true;
    onAtBottomChange?.(true);
    setTop(el, el.scrollHeight);
    again();
  }, [onAtBottomChange]);

  useEffect(() => {
    if (!handle) return;
    const h = { scrollToKey, scrollToBottom };
    if (typeof handle === "function") handle(h);
    else handle.current = h;
  }, [handle, scrollToKey, scrollToBottom]);

  return (
    <div
      ref={box}
      className={className}
      onScroll={onScroll}
      role="log"
      aria-label={label}
      tabIndex={0}
      style={{ overflowY: "auto", overflowAnchor: "none", minHeight: 0 }}
    >
      <div style={{ height: offsets[start] ?? 0 }} aria-hidden="true" />
      {items.slice(start, end).map((item, n) => {
        const key = keys[start + n]!;
        return (
          <div key={key} data-key={key} ref={rowRef}>
            {render(item, start + n)}
          </div>
        );
      })}
      <div style={{ height: Math.max(0, total - (offsets[end] ?? total)) }} aria-hidden="true" />
    </div>
  );
}
