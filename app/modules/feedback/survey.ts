// The deeper survey after an NPS score: how delivery, service and the product range felt, and
// anything else in the customer's words. No server imports: the survey page shows the same
// questions the server reads.
export const NPS_TOPICS = [
  { id: "delivery", label: "Delivery" },
  { id: "service", label: "Service" },
  { id: "range", label: "Product range" },
] as const;
export type NpsTopic = (typeof NPS_TOPICS)[number]["id"];

export const TOPIC_RATINGS = [
  { value: "good", label: "Good" },
  { value: "ok", label: "Could be better" },
  { value: "poor", label: "Poor" },
] as const;
export type TopicRating = (typeof TOPIC_RATINGS)[number]["value"];

export type NpsDetails = Partial<Record<NpsTopic, TopicRating>> & { text?: string };

export const MAX_SURVEY_TEXT = 2000;

const isRating = (value: unknown): value is TopicRating => TOPIC_RATINGS.some((r) => r.value === value);

/** The answers in a submitted survey (anything from anyone); null when it answers nothing. */
export function readNpsDetails(field: (name: string) => string | null): NpsDetails | null {
  const details: NpsDetails = {};
  for (const topic of NPS_TOPICS) {
    const value = field(topic.id);
    if (isRating(value)) details[topic.id] = value;
  }
  const text = field("text")?.trim().slice(0, MAX_SURVEY_TEXT);
  if (text) details.text = text;
  return Object.keys(details).length > 0 ? details : null;
}

/** Stored details as they were saved; anything unreadable reads as none. */
export function parseNpsDetails(json: string | null | undefined): NpsDetails | null {
  try {
    const stored = JSON.parse(json ?? "null") as Record<string, unknown> | null;
    if (!stored || typeof stored !== "object") return null;
    return readNpsDetails((name) => (typeof stored[name] === "string" ? (stored[name] as string) : null));
  } catch {
    return null;
  }
}

/** "Delivery: poor · Service: good · “…”": the survey as the merchant reads it in a line. */
export function describeNpsDetails(details: NpsDetails): string {
  const rated = NPS_TOPICS.flatMap((t) => (details[t.id] ? [`${t.label}: ${TOPIC_RATINGS.find((r) => r.value === details[t.id])!.label.toLowerCase()}`] : []));
  return [...rated, ...(details.text ? [`“${details.text}”`] : [])].join(" · ");
}
