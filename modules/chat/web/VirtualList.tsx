import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode, type Ref } from "react";

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
}

const OVERSCAN = 800;

/**
 * A windowed list for a chat: only the rows near the viewport are in the DOM,
 * heights are measured as rows render, it sticks to the bottom while the
 * reader is there, and keeps the row they look at in place when history is
 * prepended above.
 */
export function VirtualList<T>({ items, itemKey, render, estimate = 72, onNearTop, onNearBottom, onAtBottomChange, handle, label, className }: Props<T>) {
  const box = useRef<HTMLDivElement>(null);
  const heights = useRef(new Map<string, number>());
  const [version, setVersion] = useState(0);
  const [view, setView] = useState({ top: 0, height: 800 });
  const atBottom = useRef(true);
  const anchor = useRef<{ key: string; delta: number } | null>(null);
  const keys = useMemo(() => items.map(itemKey), [items, itemKey]);

  const offsets = useMemo(() => {
    const o = new Array<number>(keys.length + 1);
    o[0] = 0;
    keys.forEach((k, i) => (o[i + 1] = o[i]! + (heights.current.get(k) ?? estimate)));
    return o;
    // `version` changes when a measured height changes.
  }, [keys, estimate, version]);
  const total = offsets[keys.length] ?? 0;

  const indexAt = useCallback(
    (y: number) => {
      let lo = 0;
      let hi = keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((offsets[mid + 1] ?? 0) <= y) lo = mid + 1;
        else hi = mid;
      }
      return Math.min(lo, Math.max(0, keys.length - 1));
    },
    [keys, offsets],
  );

  const start = keys.length ? indexAt(Math.max(0, view.top - OVERSCAN)) : 0;
  const end = keys.length ? indexAt(view.top + view.height + OVERSCAN) + 1 : 0;

  const rememberAnchor = useCallback(() => {
    const el = box.current;
    if (!el || !keys.length) return;
    const i = indexAt(el.scrollTop);
    anchor.current = { key: keys[i]!, delta: (offsets[i] ?? 0) - el.scrollTop };
  }, [keys, offsets, indexAt]);

  const onScroll = () => {
    const el = box.current;
    if (!el) return;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    if (bottom !== atBottom.current) {
      atBottom.current = bottom;
      onAtBottomChange?.(bottom);
    }
    rememberAnchor();
    setView({ top: el.scrollTop, height: el.clientHeight });
    if (el.scrollTop < 600) onNearTop?.();
    if (el.scrollHeight - el.scrollTop - el.clientHeight < 600) onNearBottom?.();
  };

  // After every layout change: stay at the bottom, or keep the anchored row where it was.
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    if (atBottom.current) el.scrollTop = el.scrollHeight;
    else if (anchor.current) {
      const i = keys.indexOf(anchor.current.key);
      if (i >= 0) el.scrollTop = (offsets[i] ?? 0) - anchor.current.delta;
    }
    if (view.top !== el.scrollTop || view.height !== el.clientHeight) setView({ top: el.scrollTop, height: el.clientHeight });
  });

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setView({ top: el.scrollTop, height: el.clientHeight }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const measure = useMemo(() => {
    const ro = new ResizeObserver((entries) => {
      let changed = false;
      for (const e of entries) {
        const key = (e.target as HTMLElement).dataset.key;
        const h = (e.target as HTMLElement).offsetHeight;
        if (key && h && heights.current.get(key) !== h) {
          heights.current.set(key, h);
          changed = true;
        }
      }
      if (changed) setVersion((v) => v + 1);
    });
    return ro;
  }, []);
  useEffect(() => () => measure.disconnect(), [measure]);
  const rowRef = useCallback(
    (el: HTMLDivElement | null) => {
      if (el) {
        measure.observe(el);
        const key = el.dataset.key;
        if (key && !heights.current.has(key)) heights.current.set(key, el.offsetHeight);
      }
    },
    [measure],
  );

  const scrollToKey = useCallback(
    (key: string) => {
      const el = box.current;
      const i = keys.indexOf(key);
      if (!el || i < 0) return;
      atBottom.current = false;
      const delta = Math.round(el.clientHeight / 3);
      anchor.current = { key, delta };
      el.scrollTop = (offsets[i] ?? 0) - delta;
      setView({ top: el.scrollTop, height: el.clientHeight });
    },
    [keys, offsets],
  );
  const scrollToBottom = useCallback(() => {
    const el = box.current;
    if (!el) return;
    atBottom.current = true;
    onAtBottomChange?.(true);
    el.scrollTop = el.scrollHeight;
  }, [onAtBottomChange]);

  useEffect(() => {
    if (!handle) return;
    const h = { scrollToKey, scrollToBottom };
    if (typeof handle === "function") handle(h);
    else handle.current = h;
  }, [handle, scrollToKey, scrollToBottom]);

  return (
    <div ref={box} className={className} onScroll={onScroll} role="log" aria-label={label} tabIndex={0} style={{ overflowY: "auto", overflowAnchor: "none", minHeight: 0 }}>
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
