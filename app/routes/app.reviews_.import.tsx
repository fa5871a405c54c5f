// Import reviews from a CSV file (e.g. exported from another reviews app): the column set is
// shown on the page; a file with any bad row imports nothing and names each problem's line.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import {
  unstable_createMemoryUploadHandler as createMemoryUploadHandler,
  unstable_parseMultipartFormData as parseMultipartFormData,
  MaxPartSizeExceededError,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, DataTable, Layout, List, Page, Text } from "@shopify/polaris";
import { now } from "~/modules/clock";
import { importReviewsCsv, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, REVIEW_CSV_COLUMNS } from "~/modules/reviews/csv";
import { authenticate } from "~/shopify.server";

const tooLarge = () =>
  Response.json({ errors: [{ line: 0, message: `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB: split it in parts.` }] }, { status: 413 });
/** Room for the form's own framing around the file. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return { columns: REVIEW_CSV_COLUMNS.map((c) => ({ ...c })), maxRows: MAX_IMPORT_ROWS, maxMegabytes: MAX_IMPORT_BYTES / 1024 / 1024 };
};

type Result = { imported?: number; duplicates?: number; errors?: { line: number; message: string }[] };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  // Refused by its declared length before a byte is read (browsers always declare it); the part limit holds a body that lies.
  const length = request.headers.get("content-length");
  if (length === null) return Response.json({ errors: [{ line: 0, message: "Send the file with its length." }] }, { status: 411 });
  if (Number(length) > MAX_IMPORT_BYTES + FORM_OVERHEAD_BYTES) return tooLarge();
  let form: FormData;
  try {
    form = await parseMultipartFormData(request, createMemoryUploadHandler({ maxPartSize: MAX_IMPORT_BYTES }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return tooLarge();
    throw error;
  }
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) return Response.json({ errors: [{ line: 0, message: "Choose a CSV file." }] }, { status: 400 });
  const result = await importReviewsCsv(session.shop, await file.text(), now());
  return Response.json(result, { status: "errors" in result ? 400 : 200 });
};

export default function ImportReviews() {
  const { columns, maxRows, maxMegabytes } = useLoaderData<typeof loader>();
  const result = useActionData<Result>();
  const busy = useNavigation().state === "submitting";
  return (
    <Page title="Import reviews" subtitle="From a CSV file, for example one exported from another reviews app" backAction={{ url: "/app/reviews" }}>
      <Layout>
        {result?.errors ? (
          <Layout.Section>
            <Banner tone="critical" title="Nothing was imported">
              <List>
                {result.errors.slice(0, 50).map((e) => (
                  <List.Item key={`${e.line}-${e.message}`}>{e.line > 0 ? `Line ${e.line}: ${e.message}` : e.message}</List.Item>
                ))}
              </List>
              {result.errors.length > 50 ? <p>{`…and ${result.errors.length - 50} more lines.`}</p> : null}
            </Banner>
          </Layout.Section>
        ) : result?.imported !== undefined ? (
          <Layout.Section>
            <Banner tone="success" title={`${result.imported} reviews imported`}>
              {result.duplicates ? <p>{`${result.duplicates} were already here and were skipped.`}</p> : null}
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <Form method="post" encType="multipart/form-data">
              <BlockStack gap="300">
                <Text as="p">Every row is checked before anything is saved: a file with a mistake imports nothing, and each problem is listed by line.</Text>
                <Text as="p" tone="subdued">{`Up to ${maxRows.toLocaleString("en")} reviews and ${maxMegabytes} MB per file.`}</Text>
                <input type="file" name="file" accept=".csv,text/csv" aria-label="CSV file" />
                <div>
                  <Button submit variant="primary" loading={busy}>
                    Import
                  </Button>
                </div>
              </BlockStack>
            </Form>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingSm">
                Columns
              </Text>
              <Text as="p" tone="subdued">
                The first line names the columns, in any order. The export uses the same columns, so a file exported here imports back as it was.
              </Text>
              <DataTable
                columnContentTypes={["text", "text", "text"]}
                headings={["Column", "Required", "What it holds"]}
                rows={columns.map((c) => [c.name, c.required ? "yes" : "no", c.meaning])}
              />
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
