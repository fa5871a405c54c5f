// How a follow-up's status reads in the admin (shared by server and browser: no server imports).
export const MESSAGE_STATUSES = ["scheduled", "sent", "outbox", "cancelled", "suppressed", "failed"] as const;

export const STATUS_LABEL: Record<string, { label: string; tone?: "success" | "info" | "attention" | "critical" }> = {
  scheduled: { label: "Scheduled", tone: "info" },
  sent: { label: "Sent", tone: "success" },
  outbox: { label: "In outbox", tone: "success" },
  cancelled: { label: "Cancelled" },
  suppressed: { label: "Not sent", tone: "attention" },
  failed: { label: "Failed", tone: "critical" },
};
