import type { ReactNode } from "react";
import { Loader, Table, Text } from "@mantine/core";

export interface DataColumn<T> {
  key: string;
  header: ReactNode;
  cell(row: T): ReactNode;
}

/**
 * A list of records with actions per row, and its three other states:
 * loading, failed (`error`, already worded by the caller) and empty. The
 * actions column has a header only screen readers hear (`actionsLabel`).
 */
export function DataTable<T>({
  rows,
  columns,
  rowKey,
  actions,
  actionsLabel,
  loading = false,
  loadingLabel,
  error,
  empty,
  minWidth = 560,
  rowProps,
  ...rest
}: {
  rows: readonly T[] | undefined;
  columns: readonly DataColumn<T>[];
  rowKey(row: T): string;
  actions?(row: T): ReactNode;
  actionsLabel?: string;
  loading?: boolean;
  loadingLabel: string;
  /** Shown instead of the table when the list could not be loaded. */
  error?: ReactNode;
  /** Shown when the list is empty. */
  empty: ReactNode;
  minWidth?: number;
  rowProps?(row: T): Record<string, string>;
  "data-testid"?: string;
}) {
  if (error) return <>{error}</>;
  if (loading || !rows) return <Loader size="sm" aria-label={loadingLabel} />;
  if (rows.length === 0) return typeof empty === "string" ? <Text c="dimmed">{empty}</Text> : <>{empty}</>;
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table striped data-testid={rest["data-testid"]}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c) => (
              <Table.Th key={c.key}>{c.header}</Table.Th>
            ))}
            {actions && (
              <Table.Th>
                <span className="visually-hidden">{actionsLabel}</span>
              </Table.Th>
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={rowKey(row)} {...rowProps?.(row)}>
              {columns.map((c) => (
                <Table.Td key={c.key}>{c.cell(row)}</Table.Td>
              ))}
              {actions && <Table.Td>{actions(row)}</Table.Td>}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
