// One question, whole: what the shopper asked (shown escaped), publish or hide it, the store's
// answer (live at once, and it puts the question live), and every answer with publish or hide.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, Divider, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { ReviewStatusBadge } from "~/components/review-display";
import { formatShopTime } from "~/format";
import { now } from "~/modules/clock";
import { QUESTION_LIMITS } from "~/modules/questions/limits";
import { answerAsStore, findQuestion, setAnswerStatus, setQuestionStatus } from "~/modules/questions/moderation";
import { getShop } from "~/modules/shops";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [shop, question] = await Promise.all([getShop(session.shop), findQuestion(session.shop, params.id ?? "")]);
  if (!question) throw new Response("No such question", { status: 404 });
  const zone = shop?.timezone ?? "UTC";
  return {
    question: {
      id: question.id,
      productTitle: question.productTitle,
      askerName: question.askerName,
      askerEmail: question.askerEmail,
      body: question.body,
      status: question.status,
      createdAt: formatShopTime(question.createdAt, zone),
    },
    answers: question.answers.map((a) => ({
      id: a.id,
      body: a.body,
      authorName: a.authorName,
      kind: a.kind,
      status: a.status,
      createdAt: formatShopTime(a.createdAt, zone),
      askerNotifiedAt: a.askerNotifiedAt ? formatShopTime(a.askerNotifiedAt, zone) : null,
    })),
  };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const id = params.id ?? "";
  const intent = form.get("intent");
  const missing = () => new Response("No such question", { status: 404 });
  if (intent === "answer") {
    const result = await answerAsStore(session.shop, id, String(form.get("answer") ?? ""), now());
    if (result.kind === "missing") return missing();
    if (result.kind === "invalid") return Response.json({ error: result.error }, { status: 400 });
    return Response.json({ saved: "answer" });
  }
  if (intent === "publish" || intent === "hide") {
    if (!(await findQuestion(session.shop, id))) return missing();
    await setQuestionStatus(session.shop, [id], intent === "publish" ? "published" : "hidden", now());
    return Response.json({ saved: intent });
  }
  if (intent === "publish-answer" || intent === "hide-answer") {
    const found = await setAnswerStatus(session.shop, id, String(form.get("answerId") ?? ""), intent === "publish-answer" ? "published" : "hidden", now());
    return found ? Response.json({ saved: intent }) : missing();
  }
  return Response.json({ error: "Unknown action" }, { status: 400 });
};

const SAVED: Record<string, string> = {
  answer: "Answer saved. It shows under the question on your store.",
  "publish-answer": "Answer published. The shopper who asked gets an email with it.",
};

export default function QuestionDetail() {
  const { question, answers } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<{ saved?: string; error?: string }>();
  const storeAnswer = answers.find((a) => a.kind === "store");
  const [draft, setDraft] = useState(storeAnswer?.body ?? "");
  const busy = fetcher.state !== "idle";
  const submit = (intent: string, extra: Record<string, string> = {}) => fetcher.submit({ intent, ...extra }, { method: "post" });
  const statusAction =
    question.status === "published"
      ? { content: "Hide from the store", onAction: () => submit("hide"), loading: busy }
      : { content: "Publish", onAction: () => submit("publish"), loading: busy };
  return (
    <Page
      title={`Question about ${question.productTitle}`}
      titleMetadata={<ReviewStatusBadge status={question.status} />}
      subtitle={`${question.askerName} · ${question.askerEmail} · ${question.createdAt}`}
      backAction={{ url: "/app/questions" }}
      primaryAction={statusAction}
    >
      <Layout>
        {fetcher.data?.saved ? (
          <Layout.Section>
            <Banner tone="success">{SAVED[fetcher.data.saved] ?? "Saved."}</Banner>
          </Layout.Section>
        ) : null}
        {fetcher.data?.error ? (
          <Layout.Section>
            <Banner tone="critical">{fetcher.data.error}</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <Text as="p" variant="bodyLg">
              <span style={{ whiteSpace: "pre-wrap" }}>{question.body}</span>
            </Text>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingSm">
                Your answer
              </Text>
              <TextField
                label="Answer"
                labelHidden
                value={draft}
                onChange={setDraft}
                multiline={4}
                maxLength={QUESTION_LIMITS.answer}
                autoComplete="off"
                helpText={
                  question.status === "published"
                    ? "Shown under the question on your store at once. The shopper who asked is emailed when an answer first goes up."
                    : "Shown under the question on your store at once, and it publishes the question. The shopper who asked is emailed when an answer first goes up."
                }
              />
              <Box>
                <Button variant="primary" onClick={() => submit("answer", { answer: draft })} loading={busy} disabled={!draft.trim()}>
                  {storeAnswer ? "Update answer" : "Post answer"}
                </Button>
              </Box>
            </BlockStack>
          </Card>
        </Layout.Section>
        {answers.length > 0 ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="400">
                <Text as="h2" variant="headingSm">
                  Answers
                </Text>
                {answers.map((answer, index) => (
                  <BlockStack gap="200" key={answer.id}>
                    {index > 0 ? <Divider /> : null}
                    <InlineStack align="space-between" blockAlign="center" gap="200">
                      <Text as="span" fontWeight="semibold">
                        {answer.kind === "store" ? `${answer.authorName} (your store)` : `${answer.authorName}, verified buyer`}
                      </Text>
                      <ReviewStatusBadge status={answer.status} />
                    </InlineStack>
                    <Text as="p">
                      <span style={{ whiteSpace: "pre-wrap" }}>{answer.body}</span>
                    </Text>
                    <Text as="p" tone="subdued" variant="bodySm">
                      {`Written ${answer.createdAt}${answer.askerNotifiedAt ? ` · emailed to ${question.askerName} ${answer.askerNotifiedAt}` : ""}`}
                    </Text>
                    <Box>
                      {answer.status === "published" ? (
                        <Button onClick={() => submit("hide-answer", { answerId: answer.id })} disabled={busy}>
                          Hide answer
                        </Button>
                      ) : (
                        <Button variant="primary" onClick={() => submit("publish-answer", { answerId: answer.id })} disabled={busy}>
                          Publish answer
                        </Button>
                      )}
                    </Box>
                  </BlockStack>
                ))}
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
      </Layout>
    </Page>
  );
}
