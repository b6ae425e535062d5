/**
 * Reads the program out of an upload request, whatever way it came: multipart
 * field `file` (a .py file) or `code`, JSON `{"code": ...}`, or a urlencoded form
 * field `code`. The body is read as a stream and abandoned as soon as it passes
 * `maxUploadBodyBytes`, so a 1 GB upload costs at most that much memory. The
 * client's file name is never used (the stored name is ours); bytes must be UTF-8.
 */
import { Value } from "@sinclair/typebox/value";
import { AppError } from "../../errors.ts";
import { UploadJsonSchema } from "./model.ts";

export interface UploadLimits {
  /** Largest program, in UTF-8 bytes (the checker's maxUploadBytes). */
  maxSourceBytes: number;
  /** Largest request body: room for JSON escaping or multipart framing around the program. */
  maxBodyBytes: number;
}

const tooLarge = (limits: UploadLimits) =>
  new AppError("payload_too_large", `The program is too large: the limit is ${Math.floor(limits.maxSourceBytes / 1024)} KiB. Make it shorter.`);

const notUtf8 = () => new AppError("not_utf8", "The program is not UTF-8 text. Save the file as UTF-8 (any modern editor can) and upload it again.");

async function readCapped(request: Request, limits: UploadLimits): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limits.maxBodyBytes) throw tooLarge(limits);
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limits.maxBodyBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limits);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw notUtf8();
  }
}

function checkSize(source: string, limits: UploadLimits): string {
  // A JSON \uD800 escape yields a lone surrogate, which has no UTF-8 form.
  if (!source.isWellFormed()) throw notUtf8();
  if (Buffer.byteLength(source) > limits.maxSourceBytes) throw tooLarge(limits);
  return source;
}

const mediaType = (request: Request) => (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();

async function fromForm(bytes: Uint8Array, contentType: string, limits: UploadLimits): Promise<string> {
  let form: FormData;
  try {
    form = await new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { "content-type": contentType } }).formData();
  } catch {
    throw new AppError("bad_request", "The form data could not be read. Send the program as a file field named \"file\" or a text field named \"code\".");
  }
  const file = form.get("file");
  if (file instanceof Blob) {
    const name = (file as File).name ?? "";
    if (name !== "" && !/\.py$/i.test(name)) {
      throw new AppError("unsupported_media_type", `"${name.slice(-60)}" is not a Python file: upload a file whose name ends in .py.`);
    }
    if (file.size > limits.maxSourceBytes) throw tooLarge(limits);
    return checkSize(decodeUtf8(new Uint8Array(await file.arrayBuffer())), limits);
  }
  const code = form.get("code") ?? (typeof file === "string" ? file : null);
  if (typeof code !== "string") throw new AppError("bad_request", "No program found: send a file field named \"file\" or a text field named \"code\".");
  // Text fields are decoded leniently by the form parser; U+FFFD is the trace of bytes that were not UTF-8.
  if (code.includes("\uFFFD")) throw notUtf8();
  return checkSize(code, limits);
}

/** The program's text, or an AppError a student can act on (413, 415, 422, 400). */
export async function readUploadedSource(request: Request, limits: UploadLimits): Promise<string> {
  const type = mediaType(request);
  const supported = ["multipart/form-data", "application/json", "application/x-www-form-urlencoded", "text/plain", "text/x-python"];
  if (!supported.includes(type)) {
    throw new AppError(
      "unsupported_media_type",
      `Uploads must be multipart/form-data (a .py file in field "file"), application/json ({"code": "..."}) or text/plain, not ${type === "" ? "a body without a Content-Type" : `"${type.slice(0, 60)}"`}.`,
    );
  }
  const bytes = await readCapped(request, limits);
  if (type === "multipart/form-data" || type === "application/x-www-form-urlencoded") {
    return fromForm(bytes, request.headers.get("content-type")!, limits);
  }
  const text = decodeUtf8(bytes);
  if (type !== "application/json") return checkSize(text, limits);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The body is not valid JSON. Send {\"code\": \"...your program...\"}.");
  }
  if (!Value.Check(UploadJsonSchema, body)) throw new AppError("validation", "The JSON body must be exactly {\"code\": \"...your program...\"}.");
  return checkSize(body.code, limits);
}
