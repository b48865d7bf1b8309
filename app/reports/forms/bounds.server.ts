// A streaming pass (saxes) that bounds a report's structure as it reads: how many elements, how many attributes
// one element has, how deep they nest, how long a text or an attribute value is. A file past any bound is refused
// at the first excess — a 5 MB element with 500 000 attributes stops after the 201st — before anything else looks
// at it. Real reports are far inside them: a 4-ФСС title is one element with some 30 attributes, an ЕФС-1 of
// 1 000 persons about 15 000 elements.
//
// The same pass builds the document tree, in the shape the readers know from fast-xml-parser (an element's
// children by local name, repeated ones as a list, attributes beside them without prefixes or xmlns, text
// trimmed, "#text" beside attributes or children): a well-formed file is read once, not three times (bounds,
// validator, parser — the parser alone took 2.7 ms of the 5 ms an ЕФС-1 of 26 KiB cost). Where saxes finds the
// file not well-formed, or an element is named like an object's own property, no tree is given and the caller
// asks the validator (for the line of the problem) and the parser, as before.
import { SaxesParser } from "saxes";
import { ReportFileRefused } from "./refusal";
import type { XmlNode, XmlValue } from "./xml.server";

export const XML_BOUNDS = {
  elements: 200_000,
  attributesPerElement: 200,
  depth: 64,
  textLength: 100_000,
  attributeLength: 10_000,
} as const;

const CHUNK = 64 * 1024;

/** Names that would reach an object's prototype: such a file goes the parser's way (which refuses it). */
const UNSAFE_NAMES = new Set(["__proto__", "constructor", "prototype", "hasOwnProperty"]);

interface Open {
  name: string;
  node: XmlNode;
  /** Attributes or children were added. */
  structured: boolean;
  text: string;
}

const localName = (name: string) => name.slice(name.indexOf(":") + 1);

/**
 * Refuses a file past XML_BOUNDS (ReportFileRefused "too-complex") and returns its document tree, or null when
 * the file is not well-formed (or names an element __proto__): the validator and the parser judge those.
 */
export function readXmlTree(text: string, bounds = XML_BOUNDS): XmlNode | null {
  const refuse = (what: string): never => {
    throw new ReportFileRefused(
      "too-complex",
      `Структура файла не похожа на отчёт: ${what}. Выгрузите отчёт из программы заново.`,
    );
  };
  const parser = new SaxesParser({ xmlns: false, position: false });
  let elements = 0;
  let depth = 0;
  let attributes = 0;
  let usable = true;
  const doc: XmlNode = {};
  const stack: Open[] = [];
  // Text since the last tag, trimmed when a tag comes (a text may arrive in pieces, split where a chunk ends).
  let pending = "";
  const flush = () => {
    if (pending && stack.length) stack[stack.length - 1].text += pending.trim();
    pending = "";
  };
  const add = (parent: XmlNode, name: string, value: XmlValue) => {
    const present = parent[name];
    if (present === undefined) parent[name] = value;
    else if (Array.isArray(present)) present.push(value);
    else parent[name] = [present, value];
  };
  parser.on("opentagstart", () => {
    elements++;
    depth++;
    attributes = 0;
    if (elements > bounds.elements) refuse(`в нём больше ${bounds.elements.toLocaleString("ru-RU")} элементов`);
    if (depth > bounds.depth) refuse(`элементы вложены глубже ${bounds.depth} уровней`);
  });
  parser.on("attribute", (attribute) => {
    attributes++;
    if (attributes > bounds.attributesPerElement)
      refuse(`у одного элемента больше ${bounds.attributesPerElement} атрибутов`);
    if (attribute.value.length > bounds.attributeLength) {
      refuse(
        `значение атрибута ${attribute.name.slice(0, 40)} длиннее ${bounds.attributeLength.toLocaleString("ru-RU")} символов`,
      );
    }
  });
  parser.on("opentag", (tag) => {
    if (!usable) return;
    flush();
    const name = localName(tag.name);
    if (UNSAFE_NAMES.has(name)) usable = false;
    const open: Open = { name, node: {}, structured: false, text: "" };
    for (const [attribute, value] of Object.entries(tag.attributes as Record<string, string>)) {
      if (attribute === "xmlns" || attribute.startsWith("xmlns:")) continue;
      const key = localName(attribute);
      if (UNSAFE_NAMES.has(key)) usable = false;
      open.node[key] = value.trim();
      open.structured = true;
    }
    if (stack.length) stack[stack.length - 1].structured = true;
    stack.push(open);
  });
  parser.on("closetag", () => {
    depth--;
    if (!usable) return;
    flush();
    const open = stack.pop();
    if (!open) return;
    let value: XmlValue = open.text;
    if (open.structured) {
      if (open.text) open.node["#text"] = open.text;
      value = open.node;
    }
    add(stack.length ? stack[stack.length - 1].node : doc, open.name, value);
  });
  parser.on("text", (t) => {
    if (t.length > bounds.textLength)
      refuse(`текст одного элемента длиннее ${bounds.textLength.toLocaleString("ru-RU")} символов`);
    pending += t;
  });
  parser.on("cdata", (t) => {
    if (t.length > bounds.textLength)
      refuse(`текст одного элемента длиннее ${bounds.textLength.toLocaleString("ru-RU")} символов`);
    flush();
    if (stack.length) stack[stack.length - 1].text += t;
  });
  parser.on("error", () => {
    // Well-formedness is the validator's to judge, with its line; here only the bounds count from now on.
    usable = false;
  });
  for (let i = 0; i < text.length; i += CHUNK) parser.write(text.slice(i, i + CHUNK));
  parser.close();
  return usable && stack.length === 0 && Object.keys(doc).length === 1 ? doc : null;
}
