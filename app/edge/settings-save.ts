// A settings page's save: the page posts its form as JSON (at most 64 KB, read as it streams);
// the capability checks every field and answers what was saved, or what is wrong field by field.
import { readCappedJson } from "./form-body";

const MAX_SETTINGS_BYTES = 64 * 1024;

export type SettingsSaved = { saved: true; form: object } | { saved: false; errors: Record<string, string> };

export async function settingsSave(request: Request, save: (input: object) => Promise<SettingsSaved>): Promise<Response> {
  const read = await readCappedJson(request, MAX_SETTINGS_BYTES);
  if ("refused" in read || !read.json || typeof read.json !== "object" || Array.isArray(read.json)) {
    const status = "refused" in read ? read.status : 400;
    return Response.json({ saved: false, errors: {}, message: "The request could not be read." }, { status });
  }
  const result = await save(read.json);
  if (!result.saved) return Response.json({ ...result, message: "Nothing was saved: fix what is marked below." }, { status: 400 });
  return Response.json(result);
}
