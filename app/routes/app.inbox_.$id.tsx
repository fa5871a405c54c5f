// One conversation: how it opened (the check-in answer, the review, the score), the thread, the
// customer's history beside it, and the store's reply (POST intent=reply with `body`: sent by
// email, Reply-To the store), resolve or reopen (intent=resolve|reopen). Another shop's
// conversation is 404; a missing, repeated or over-long reply is 400.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineStack, Layout, Link, Page, Select, Text, TextField } from "@shopify/polaris";
import { singleField } from "~/edge/form-body";
import { formatMoney, formatShopTime } from "~/format";
import { CAPABILITIES, emailFlowName } from "~/modules/capabilities";
import { now } from "~/modules/clock";
import { describeNpsDetails, parseNpsDetails } from "~/modules/feedback/survey";
import {
  customerHistory,
  findConversation,
  giveConversationGift,
  readMessageBody,
  replyToConversation,
  setConversationStatus,
  type GiftResult,
} from "~/modules/inbox";
import { CASE_KINDS, MAX_MESSAGE } from "~/modules/inbox/limits";
import { eraseOnRequest } from "~/modules/privacy/customer-page";
import { readGoodwill } from "~/modules/promises";
import { GOODWILL_KINDS, type Goodwill } from "~/modules/promises/settings-form";
import { getShop } from "~/modules/shops";
import { authenticate } from "~/shopify.server";

export const meta: MetaFunction = () => [{ title: "Conversation · Aftercare" }];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const conversation = await findConversation(session.shop, params.id ?? "");
  if (!conversation) throw new Response("Not found", { status: 404 });
  const [history, shop] = await Promise.all([customerHistory(session.shop, conversation.customerId), getShop(session.shop)]);
  const zone = shop?.timezone ?? "UTC";
  const when = (at: Date) => formatShopTime(at, zone);
  return {
    currency: shop?.currency ?? "USD",
    conversation: {
      id: conversation.id,
      kind: CASE_KINDS[conversation.kind] ?? conversation.kind,
      erasable: conversation.kind === "deletion_request" && conversation.status !== "resolved" && conversation.customerId !== null,
      status: conversation.status,
      summary: conversation.summary,
      reviewId: conversation.reviewId,
      opened: when(conversation.createdAt),
      review: conversation.review,
      survey: surveyLine(conversation.feedback?.details),
      messages: conversation.messages.map((m) => ({ id: m.id, author: m.author, body: m.body, when: when(m.createdAt) })),
    },
    history: history && {
      name: [history.customer?.firstName, history.customer?.lastName].filter(Boolean).join(" ") || "A customer",
      email: history.customer?.email ?? null,
      orderCount: history.orderCount,
      orders: history.orders.map((o) => ({
        id: o.id,
        name: o.name,
        total: formatMoney(o.totalMinor, o.currency),
        when: formatShopTime(o.processedAt, zone, "date"),
        state: o.cancelledAt ? "Cancelled" : o.fulfillmentStatus === "fulfilled" ? "Fulfilled" : "Unfulfilled",
      })),
      emails: history.emails.map((e) => ({
        id: e.id,
        flow: emailFlowName(e.flow),
        subject: e.subject,
        when: e.sentAt ? formatShopTime(e.sentAt, zone, "date") : "",
      })),
      reviews: history.reviews,
      points: history.points,
    },
  };
};

/** The deeper survey after an NPS score, in a line; null when it was not answered. */
function surveyLine(details: string | null | undefined): string | null {
  const parsed = parseNpsDetails(details);
  return parsed ? describeNpsDetails(parsed) : null;
}

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = singleField(form, "intent");
  const id = params.id ?? "";
  if (intent === "reply") {
    const body = readMessageBody(singleField(form, "body"));
    if (!body) return Response.json({ error: `Write a reply of at most ${MAX_MESSAGE} characters.` }, { status: 400 });
    const actor = sessionToken?.sub ? `staff ${sessionToken.sub}` : "the store";
    const sent = await replyToConversation(session.shop, id, body, actor, now());
    if (sent === "not_found") return Response.json({ error: "Not found" }, { status: 404 });
    if (sent === "no_customer") return Response.json({ error: "This conversation has no customer to write to." }, { status: 409 });
    return Response.json({ sent: true });
  }
  if (intent === "gift") {
    const shop = await getShop(session.shop);
    const read = readGoodwill(singleField(form, "kind"), singleField(form, "value"), shop?.currency ?? "USD");
    if ("error" in read || read.goodwill.kind === "none") return Response.json({ error: "error" in read ? read.error : "Choose a gift." }, { status: 400 });
    const actor = sessionToken?.sub ? `staff ${sessionToken.sub}` : "the store";
    const given = await giveConversationGift(session.shop, id, read.goodwill, actor, now());
    return given === "given" ? Response.json({ gift: true }) : Response.json({ error: GIFT_REFUSALS[given] }, { status: given === "not_found" ? 404 : 409 });
  }
  if (intent === "erase") {
    const erased = await eraseOnRequest(session.shop, id, CAPABILITIES, now());
    return erased ? Response.json({ erased: true }) : Response.json({ error: "No deletion request waiting with that id" }, { status: 404 });
  }
  if (intent === "resolve" || intent === "reopen") {
    const changed = await setConversationStatus(session.shop, id, intent === "resolve" ? "resolved" : "open", now());
    return changed ? Response.json({ status: intent }) : Response.json({ error: "Not found" }, { status: 404 });
  }
  return Response.json({ error: "intent must be reply, gift, resolve, reopen or erase" }, { status: 400 });
};

const GIFT_REFUSALS: Record<Exclude<GiftResult, "given">, string> = {
  not_found: "Not found",
  no_customer: "This conversation has no customer to give to.",
  already_given: "A gift was already given in this conversation.",
  no_loyalty: "The loyalty program is off: choose a code or store credit instead.",
};

const STATUS = {
  open: { tone: "attention", label: "Open" },
  replied: { tone: "info", label: "Replied" },
  resolved: { tone: "success", label: "Resolved" },
} as const;

function Bubble({ author, body, when }: { author: string; body: string; when: string }) {
  if (author === "note")
    return (
      <Text as="p" tone="subdued" variant="bodySm">
        {`${body} · ${when}`}
      </Text>
    );
  const store = author === "store";
  return (
    <Box background={store ? "bg-surface-info" : "bg-surface-secondary"} padding="300" borderRadius="300">
      <BlockStack gap="100">
        <Text as="span" variant="bodySm" tone="subdued">
          {store ? "You" : "Customer"} · {when}
        </Text>
        <Text as="p">
          <span style={{ whiteSpace: "pre-wrap" }}>{body}</span>
        </Text>
      </BlockStack>
    </Box>
  );
}

function GiftForm({ currency }: { currency: string }) {
  const fetcher = useFetcher<{ gift?: true; error?: string }>();
  const [kind, setKind] = useState<Exclude<Goodwill["kind"], "none">>("amount_off");
  const [value, setValue] = useState("5.00");
  const money = kind === "amount_off" || kind === "store_credit";
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        Give a gift
      </Text>
      <InlineStack gap="200" blockAlign="end" wrap>
        <Select
          label="Gift"
          options={GOODWILL_KINDS.filter((k) => k.kind !== "none").map((k) => ({ label: k.label, value: k.kind }))}
          value={kind}
          onChange={(next) => {
            setKind(next as typeof kind);
            setValue(next === "points" ? "200" : next === "percent_off" ? "10" : "5.00");
          }}
        />
        <TextField
          label={money ? `Amount (${currency})` : kind === "points" ? "Points" : "Percent"}
          value={value}
          onChange={setValue}
          autoComplete="off"
          inputMode={money ? "decimal" : "numeric"}
          error={result?.error}
        />
        <Button loading={fetcher.state !== "idle"} onClick={() => fetcher.submit({ intent: "gift", kind, value }, { method: "post" })}>
          Give
        </Button>
      </InlineStack>
      {result?.gift ? <Banner tone="success" title="Gift given: the customer gets an email with it" /> : null}
    </BlockStack>
  );
}

function ReplyForm({ disabled }: { disabled: boolean }) {
  const fetcher = useFetcher<{ sent?: true; error?: string }>();
  const [body, setBody] = useState("");
  const sending = fetcher.state !== "idle";
  const error = fetcher.state === "idle" ? fetcher.data?.error : undefined;
  return (
    <BlockStack gap="200">
      <TextField
        label="Your reply"
        value={body}
        onChange={setBody}
        multiline={4}
        maxLength={MAX_MESSAGE}
        autoComplete="off"
        error={error}
        helpText="Sent by email from your store, with a link for the customer to answer here. Replies to the email reach your store's address."
      />
      <InlineStack align="end">
        <Button
          variant="primary"
          loading={sending}
          disabled={disabled || body.trim().length === 0}
          onClick={() => fetcher.submit({ intent: "reply", body }, { method: "post" })}
        >
          Send reply
        </Button>
      </InlineStack>
      {fetcher.state === "idle" && fetcher.data?.sent ? <Banner tone="success" title="Reply sent" /> : null}
    </BlockStack>
  );
}

/** A customer's request to be forgotten: the merchant approves it, and the same erasure as Shopify's customers/redact runs. */
function EraseRequest() {
  const fetcher = useFetcher<{ erased?: true; error?: string }>();
  return (
    <Banner
      tone="warning"
      title="This customer asked for their data to be deleted"
      action={{ content: "Delete their data", loading: fetcher.state !== "idle", onAction: () => fetcher.submit({ intent: "erase" }, { method: "post" }) }}
    >
      Deletes what this app holds about them (reviews, questions, points, emails, conversations) and keeps their orders without their name, as Shopify's own
      erasure does. It cannot be undone.
    </Banner>
  );
}

export default function Conversation() {
  const { conversation: c, history, currency } = useLoaderData<typeof loader>();
  const status = STATUS[c.status as keyof typeof STATUS] ?? STATUS.open;
  const fetcher = useFetcher();
  const setStatus = (intent: "resolve" | "reopen") => fetcher.submit({ intent }, { method: "post" });
  return (
    <Page
      title={history?.name ?? "A customer"}
      titleMetadata={
        <InlineStack gap="100">
          <Badge>{c.kind}</Badge>
          <Badge tone={status.tone}>{status.label}</Badge>
        </InlineStack>
      }
      subtitle={`Opened ${c.opened}`}
      backAction={{ url: "/app/inbox" }}
      primaryAction={
        c.status === "resolved"
          ? { content: "Reopen", onAction: () => setStatus("reopen"), loading: fetcher.state !== "idle" }
          : { content: "Resolve", onAction: () => setStatus("resolve"), loading: fetcher.state !== "idle" }
      }
    >
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Box background="bg-surface-warning" padding="300" borderRadius="300">
                <BlockStack gap="100">
                  <Text as="span" variant="bodySm" tone="subdued">
                    How it started · {c.opened}
                  </Text>
                  <Text as="p">{c.summary}</Text>
                  {c.survey ? (
                    <Text as="p" tone="subdued">
                      {`Told us more: ${c.survey}`}
                    </Text>
                  ) : null}
                  {c.review ? (
                    <Text as="p" tone="subdued">
                      {`${c.review.rating}★ on ${c.review.productTitle}${c.review.body ? `: ${c.review.body}` : ""}`}{" "}
                      <Link url={`/app/reviews/${c.reviewId}`}>Open the review</Link>
                    </Text>
                  ) : null}
                </BlockStack>
              </Box>
              {c.erasable ? <EraseRequest /> : null}
              {c.messages.map((m) => (
                <Bubble key={m.id} {...m} />
              ))}
              <ReplyForm disabled={!history} />
              {history ? <GiftForm currency={currency} /> : null}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            {history ? (
              <BlockStack gap="300">
                <BlockStack gap="050">
                  <Text as="h2" variant="headingMd">
                    {history.name}
                  </Text>
                  {history.email ? (
                    <Text as="p" tone="subdued">
                      {history.email}
                    </Text>
                  ) : null}
                </BlockStack>
                <BlockStack gap="100">
                  <Text as="h3" variant="headingSm">{`Orders (${history.orderCount})`}</Text>
                  {history.orders.map((o) => (
                    <Text as="p" key={o.id}>{`${o.name} · ${o.total} · ${o.when} · ${o.state}`}</Text>
                  ))}
                </BlockStack>
                <BlockStack gap="100">
                  <Text as="h3" variant="headingSm">
                    Emails sent
                  </Text>
                  {history.emails.length === 0 ? (
                    <Text as="p" tone="subdued">
                      None yet
                    </Text>
                  ) : null}
                  {history.emails.map((e) => (
                    <Link key={e.id} url={`/app/activity/${e.id}`} removeUnderline>
                      {`${e.when} · ${e.subject ?? e.flow}`}
                    </Link>
                  ))}
                </BlockStack>
                <BlockStack gap="100">
                  <Text as="h3" variant="headingSm">
                    Reviews
                  </Text>
                  {history.reviews.length === 0 ? (
                    <Text as="p" tone="subdued">
                      None yet
                    </Text>
                  ) : null}
                  {history.reviews.map((r) => (
                    <Link key={r.id} url={`/app/reviews/${r.id}`} removeUnderline>
                      {`${r.rating}★ ${r.productTitle}${r.title ? `: ${r.title}` : ""}`}
                    </Link>
                  ))}
                </BlockStack>
                <BlockStack gap="100">
                  <Text as="h3" variant="headingSm">
                    Points
                  </Text>
                  <Text as="p">
                    {history.points
                      ? `${history.points.balance.toLocaleString("en")} available, ${history.points.pending.toLocaleString("en")} pending`
                      : "Not a member"}
                  </Text>
                </BlockStack>
              </BlockStack>
            ) : (
              <Text as="p" tone="subdued">
                No customer is known for this conversation (a guest, or erased on request), so there is no one to reply to.
              </Text>
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
