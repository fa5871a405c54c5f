// Dates shown to merchants are in the shop's own time zone, formatted on the server so the
// page does not change between server render and hydration.
export function formatShopTime(at: Date | string, timeZone: string, style: "datetime" | "date" = "datetime"): string {
  const options: Intl.DateTimeFormatOptions =
    style === "date"
      ? { timeZone, dateStyle: "medium" }
      : { timeZone, month: "short", day: "numeric", hour: "numeric", minute: "2-digit" };
  return new Intl.DateTimeFormat("en", options).format(new Date(at));
}

/** Integer minor units in `currency` as the customer reads money, e.g. 4650 USD -> "$46.50". */
export function formatMoney(minor: number, currency: string, locale = "en"): string {
  const format = new Intl.NumberFormat(locale, { style: "currency", currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}
