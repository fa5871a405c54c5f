// Dates shown to merchants are in the shop's own time zone, formatted on the server so the
// page does not change between server render and hydration.
export function formatShopTime(at: Date | string, timeZone: string, style: "datetime" | "date" = "datetime"): string {
  const format = memo(`${style} ${timeZone}`, () => {
    const options: Intl.DateTimeFormatOptions =
      style === "date"
        ? { timeZone, dateStyle: "medium" }
        : { timeZone, month: "short", day: "numeric", hour: "numeric", minute: "2-digit" };
    return new Intl.DateTimeFormat("en", options);
  });
  return format.format(new Date(at));
}

/** Integer minor units in `currency` as the customer reads money, e.g. 4650 USD -> "$46.50". */
export function formatMoney(minor: number, currency: string, locale = "en"): string {
  const { format, digits } = memo(`money ${locale} ${currency}`, () => {
    const format = new Intl.NumberFormat(locale, { style: "currency", currency });
    return { format, digits: format.resolvedOptions().maximumFractionDigits ?? 2 };
  });
  return format.format(minor / 10 ** digits);
}

// Building an Intl formatter costs far more than using one (every email formats several
// amounts), so each is built once per zone, locale and currency. A bad zone or currency
// still throws, every time, since only formatters that were built are kept.
const formatters = new Map<string, unknown>();
function memo<T>(key: string, build: () => T): T {
  if (!formatters.has(key)) formatters.set(key, build());
  return formatters.get(key) as T;
}
