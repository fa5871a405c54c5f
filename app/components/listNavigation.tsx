// Admin lists keep their filters and page in the URL, so a filtered view can be reloaded,
// shared and navigated back to. Changing a filter starts again at page 1.
import { useNavigate, useSearchParams } from "@remix-run/react";
import { Select } from "@shopify/polaris";

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
