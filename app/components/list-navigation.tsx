// Admin lists keep their filters and page in the URL, so a filtered view can be reloaded,
// shared and navigated back to. Changing a filter starts again at page 1.
import { useFetcher, useNavigate, useSearchParams } from "@remix-run/react";
import { InlineStack, Pagination, Select, Text, useIndexResourceState } from "@shopify/polaris";

export function useListNavigation() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const go = (change: (next: URLSearchParams) => void) => {
    const next = new URLSearchParams(params);
    change(next);
    navigate(`?${next.toString()}`);
  };
  return {
    params,
    filterBy: (key: string, value: string) =>
      go((next) => {
        if (value) next.set(key, value);
        else next.delete(key);
        next.delete("page");
      }),
    goTo: (page: number) => go((next) => next.set("page", String(page))),
  };
}

/** A filter bound to one query parameter; the first option (value "") means no filter. */
export function FilterSelect({ name, label, options }: { name: string; label: string; options: { label: string; value: string }[] }) {
  const { params, filterBy } = useListNavigation();
  return <Select label={label} value={params.get(name) ?? ""} onChange={(value) => filterBy(name, value)} options={options} />;
}

/** Previous and next under a list, with where the merchant is: "Page 2 of 5 · 112 reviews". */
export function ListPages({ page, pages, total, noun }: { page: number; pages: number; total: number; noun: string }) {
  const { goTo } = useListNavigation();
  return (
    <InlineStack align="center" gap="300" blockAlign="center">
      <Pagination hasPrevious={page > 1} onPrevious={() => goTo(page - 1)} hasNext={page < pages} onNext={() => goTo(page + 1)} />
      <Text as="span" tone="subdued">{`Page ${page} of ${pages} · ${total.toLocaleString("en")} ${noun}`}</Text>
    </InlineStack>
  );
}

/** A list's selected rows, and `act(intent)`: posts the intent with the chosen ids to the page's action. */
export function useBulkSelection(rows: { id: string }[]) {
  const fetcher = useFetcher();
  const selection = useIndexResourceState(rows);
  const act = (intent: string) => {
    const form = new FormData();
    form.set("intent", intent);
    for (const id of selection.selectedResources) form.append("id", id);
    fetcher.submit(form, { method: "post" });
    selection.clearSelection();
  };
  return { ...selection, act };
}
