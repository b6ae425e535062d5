/**
 * The pages the appliance serves: URL paths, title, body template and script entry. The one list
 * both the bundler and the tests read.
 */
export interface PageSpec {
  /** Template in frontend/pages/ and the name of the page's script entry (frontend/src/entries/). */
  name: "editor" | "queue" | "gallery" | "docs" | "qr" | "operator";
  paths: string[];
  title: string;
  /** Whether the page has a script of its own. */
  script: boolean;
  /** Shown in the visitor navigation. */
  nav?: string;
  /**
   * Bundled on its own, sharing no chunk with the other pages. For a page that reuses the editor's
   * modules: a chunk shared with the editor would add to what the editor page loads (its budget).
   */
  ownBundle?: true;
  /**
   * Has a stylesheet of its own, frontend/styles/pages/<name>.css, linked after app.css: rules only
   * this page uses stay out of what the editor page loads (its budget).
   */
  styles?: true;
}

export const pages: PageSpec[] = [
  { name: "editor", paths: ["/", "/editor"], title: "Write a program", script: true, nav: "Editor" },
  { name: "queue", paths: ["/queue"], title: "Queue", script: true, nav: "Queue" },
  { name: "gallery", paths: ["/gallery"], title: "Gallery of shared programs", script: true, nav: "Gallery", ownBundle: true, styles: true },
  { name: "docs", paths: ["/docs"], title: "How to program the tree", script: false, nav: "Docs" },
  { name: "qr", paths: ["/qr"], title: "Scan to light up the tree", script: true },
  { name: "operator", paths: ["/operator"], title: "Operator", script: true, styles: true },
];
