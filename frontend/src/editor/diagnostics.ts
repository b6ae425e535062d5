/**
 * Where a check error goes in the editor. The checker reports 1-based lines and 1-based columns
 * counted in characters (code points); CodeMirror counts UTF-16 units from the start of the document.
 */
export interface LineInfo {
  from: number;
  text: string;
}

export interface Range {
  from: number;
  to: number;
}

/** The range to underline: from the column to the end of the word there (at least one character). */
export function errorRange(line: LineInfo, column: number): Range {
  let offset = 0;
  let characters = 1;
  for (const character of line.text) {
    if (characters >= column) break;
    offset += character.length;
    characters++;
  }
  offset = Math.min(offset, line.text.length);
  const word = /^[\p{L}\p{N}_]+/u.exec(line.text.slice(offset));
  const length = word !== null ? word[0].length : Math.min(1, line.text.length - offset);
  if (length === 0) {
    // At the end of the line (a missing colon, say): mark the last character instead.
    return offset > 0 ? { from: line.from + offset - 1, to: line.from + offset } : { from: line.from, to: line.from };
  }
  return { from: line.from + offset, to: line.from + offset + length };
}

/** The 1-based column of a line's first character that is not indentation (1 for a blank line). */
export function firstCodeColumn(text: string): number {
  const indent = /^[ \t]*/.exec(text)![0].length;
  return indent < text.length ? indent + 1 : 1;
}
