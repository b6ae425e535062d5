/**
 * Size budget of what a phone downloads before the editor works (HTML, CSS, scripts; gzip, as the
 * server sends them). Busy venue Wi-Fi makes every kilobyte count; a test keeps the bundle under it.
 */
export const editorPageGzipBudgetBytes = 140 * 1024;
