// Reads a review form (multipart, up to three photos) the same way for the email link's page
// and the storefront widget: the draft, plus the form for the fields only one of them has.
import {
  unstable_createMemoryUploadHandler as createMemoryUploadHandler,
  unstable_parseMultipartFormData as parseMultipartFormData,
  MaxPartSizeExceededError,
} from "@remix-run/node";
import type { ReviewDraft } from "~/modules/reviews";
import { MAX_PHOTO_BYTES, MAX_PHOTOS } from "~/modules/reviews/limits";

export type ReviewForm = { form: FormData; draft: ReviewDraft } | { tooLarge: true };

export async function readReviewForm(request: Request): Promise<ReviewForm> {
  let form: FormData;
  try {
    form = await parseMultipartFormData(request, createMemoryUploadHandler({ maxPartSize: MAX_PHOTO_BYTES }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { tooLarge: true };
    throw error;
  }
  const text = (name: string) => String(form.get(name) ?? "");
  // One more than allowed is read, so that too many photos is an error rather than a silent drop.
  const files = form.getAll("photos").filter((file): file is File => file instanceof File && file.size > 0).slice(0, MAX_PHOTOS + 1);
  const draft = {
    rating: Number(text("rating")),
    title: text("title"),
    body: text("body"),
    authorName: text("authorName"),
    photos: await Promise.all(files.map(async (file) => Buffer.from(await file.arrayBuffer()))),
  };
  return { form, draft };
}

export const PHOTO_TOO_LARGE = "Each photo must be 5 MB or smaller.";
