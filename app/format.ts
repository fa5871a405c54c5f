// Dates shown to merchants are in the shop's own time zone, formatted on the server so the
// page does not change between server render and hydration.
export function formatShopTime(at: Date | string, timeZone: string, style: "datetime" | "date" = "datetime"): string {
  const format = memo(`${style} ${timeZone}`, () => {
    const options: Intl.DateTimeFormatOptions =
      style === "date" ? { timeZone, dateStyle: "medium" } : { timeZone, month: "short", day: "numeric", hour: "numeric", minute: "2-digit" };
    return new Intl.DateTimeFormat("en", options);
  });
  return format.format(new Date(at));
}

function moneyFormat(currency: string, locale: string) {
  return memo(`money ${locale} ${currency}`, () => {
    const format = new Intl.NumberFormat(locale, { style: "currency", currency });
    return { format, digits: format.resolvedOptions().maximumFractionDigits ?? 2 };
  });
}

/** Integer minor units in `currency` as the customer reads money, e.g. 4650 USD -> "$46.50". */
export function formatMoney(minor: number, currency: string, locale = "en"): string {
  const { format, digits } = moneyFormat(currency, locale);
  return format.format(minor / 10 ** digits);
}

/** The sign an amount of `currency` is written with: "$", "€", "CHF". */
export const currencySymbol = (currency: string) =>
  moneyFormat(currency, "en")
    .format.formatToParts(0)
    .find((part) => part.type === "currency")?.value ?? currency;

/** How many decimals an amount of `currency` has: USD 2, JPY 0, KWD 3. */
export const currencyDigits = (currency: string) => moneyFormat(currency, "en").digits;

/** Minor units as a plain decimal string (Shopify's Decimal inputs, form fields): 550 USD -> "5.50". */
export function minorToDecimal(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  if (digits === 0) return String(minor);
  const padded = String(minor).padStart(digits + 1, "0");
  return `${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

/** An amount a person typed ("5", "5.5", "5.50", or "5,50" as much of Europe writes it) in minor units of `currency`; null when it is not one. */
export function decimalToMinor(typed: string, currency: string): number | null {
  const digits = currencyDigits(currency);
  const match = /^\s*(\d{1,12})(?:[.,](\d*))?\s*$/.exec(typed);
  if (!match || (match[2] ?? "").length > digits) return null;
  return Number(match[1]) * 10 ** digits + Number((match[2] ?? "").padEnd(digits, "0") || "0");
}

// Building an Intl formatter costs far more than using one (every email formats several
// amounts), so each is built once per zone, locale and currency. A bad zone or currency
// still throws, every time, since only formatters that were built are kept.
const formatters = new Map<string, unknown>();
function memo<T>(key: string, build: () => T): T {
  if (!formatters.has(key)) formatters.set(key, build());
  return formatters.get(key) as T;
}

/** A length of time as a merchant reads a wait: "45 min", "3 h 20 min", "2 days". */
export function formatWait(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ""}`;
  return `${Math.round(hours / 24)} days`;
}

/** A week by its Monday, "2026-09-28", as a chart's axis shows it: "Sep 28". */
export const formatWeek = (monday: string) =>
  new Intl.DateTimeFormat("en", { timeZone: "UTC", month: "short", day: "numeric" }).format(new Date(`${monday}T00:00:00Z`));
