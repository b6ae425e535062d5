/** Content types of everything the frontend bundle can contain, by file extension. */
const byExtension: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json",
};

export function contentTypeFor(path: string): string {
  const dot = path.lastIndexOf(".");
  const type = dot === -1 ? undefined : byExtension[path.slice(dot).toLowerCase()];
  if (type === undefined) throw new Error(`frontend bundle: no content type known for "${path}"`);
  return type;
}
