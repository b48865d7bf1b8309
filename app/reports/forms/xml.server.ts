// The safe way into a report's XML, shared by every form: the size is capped, the declared encoding
// (windows-1251 or UTF-8) decoded strictly, any DOCTYPE/ENTITY refused before parsing (no DTD, no entity
// expansion — neither XML bombs nor external entities can start), then one streaming pass (bounds.server.ts)
// bounds the structure and builds the tree; a file it finds not well-formed gets fast-xml-parser's validator
// (the line of the problem) and parser. Values are kept as the text they are.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { REPORT_MAX_BYTES, REPORT_TOO_LARGE } from "../limits";
import { readXmlTree } from "./bounds.server";
import { ReportFileRefused } from "./refusal";

export type XmlNode = { [name: string]: XmlValue };
export type XmlValue = string | XmlNode | XmlValue[];

export interface ParsedXml {
  text: string;
  /** The root element's name without a prefix, and its default namespace (xmlns), if any. */
  root: string;
  namespace: string | null;
  /** Processing instructions before the root, by target: F4FORM → its attributes' text. */
  instructions: Record<string, string>;
  doc: XmlNode;
}

function decode(bytes: Buffer): string {
  const head = bytes.subarray(0, 200).toString("latin1");
  const declared = head.match(/^\uFEFF?<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_-]+)["']/)?.[1]?.toLowerCase();
  const encoding = !declared || declared === "utf-8" || declared === "utf8" ? "utf-8" : declared;
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    throw new ReportFileRefused(
      "malformed",
      `Не удалось прочитать файл в кодировке ${encoding}. Сохраните отчёт в windows-1251 или UTF-8.`,
    );
  }
}

/** fast-xml-parser's settings: the tree the readers know (readXmlTree in bounds.server.ts builds the same). */
export const XML_PARSER_OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: "",
  removeNSPrefix: true,
  parseAttributeValue: false,
  parseTagValue: false,
  processEntities: true,
  htmlEntities: false,
  ignorePiTags: true,
} as const;

const parser = new XMLParser(XML_PARSER_OPTIONS);

/** The validator's error codes in words (its own messages are English). */
const VALIDATOR_ERRORS: Record<string, string> = {
  InvalidXml: "это не XML-документ или в нём нет корневого элемента",
  InvalidTag: "неверный или незакрытый тег",
  InvalidAttr: "неверный атрибут",
  InvalidChar: "недопустимый символ в разметке",
};

function parserProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : "";
  const reserved = message.match(/Invalid name: "([^"]{1,60})"/);
  if (reserved) return `элемент или атрибут с недопустимым именем «${reserved[1]}»`;
  if (/Maximum nested tags exceeded/.test(message)) return "слишком глубокая вложенность элементов";
  return "ошибка разметки XML";
}

export function parseReportXml(bytes: Buffer): ParsedXml {
  if (bytes.length === 0) throw new ReportFileRefused("empty", "Файл пуст. Выберите файл отчёта (XML).");
  if (bytes.length > REPORT_MAX_BYTES) throw new ReportFileRefused("too-large", REPORT_TOO_LARGE);
  const text = decode(bytes);
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw new ReportFileRefused(
      "dtd",
      "Файл содержит объявление DOCTYPE/ENTITY. Отчёты с DTD не принимаются: выгрузите отчёт из программы заново.",
    );
  }
  if (!text.trimStart().startsWith("<")) {
    const start = text
      .trimStart()
      .slice(0, 12)
      .replace(/[^\p{L}\p{N}%.\- ]/gu, "");
    throw new ReportFileRefused(
      "malformed",
      `Файл не является корректным XML: это не XML-файл (он начинается с «${start}»). Выберите файл отчёта в формате XML.`,
    );
  }
  // One pass bounds the file and, when it is well-formed, builds the tree; otherwise the validator says where.
  let doc = readXmlTree(text);
  if (!doc) {
    const valid = XMLValidator.validate(text);
    if (valid !== true) {
      throw new ReportFileRefused(
        "malformed",
        `Файл не является корректным XML: ${VALIDATOR_ERRORS[valid.err.code] ?? "ошибка разметки"} (строка ${valid.err.line}, позиция ${valid.err.col}). Выгрузите отчёт из программы заново.`,
      );
    }
    try {
      doc = parser.parse(text) as XmlNode;
    } catch (error) {
      // An element named __proto__ or constructor, or nesting past the parser's limit: refused, never a 500.
      throw new ReportFileRefused("malformed", `Файл не удалось разобрать: ${parserProblem(error)}.`);
    }
  }
  const instructions: Record<string, string> = {};
  for (const m of text.matchAll(/<\?([^\s?]+)\s*([^?]*)\?>/g)) {
    if (m[1].toLowerCase() !== "xml") instructions[m[1]] = m[2];
  }
  // The root's start tag, after the prolog (declaration, instructions, comments).
  const body = text.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, "");
  const start = body.match(/<([^\s>/!?]+)([^>]*)>/);
  const root = (start?.[1] ?? "").replace(/^[^:]*:/, "");
  const namespace =
    start?.[2]
      .match(/\sxmlns\s*=\s*("([^"]*)"|'([^']*)')/)
      ?.slice(2)
      .find((v) => v !== undefined) ?? null;
  return { text, root, namespace, instructions, doc };
}

/** The first child of that name (the parser makes a list of repeated elements). */
export function child(node: XmlValue | undefined, name: string): XmlValue | undefined {
  if (node === undefined || typeof node === "string" || Array.isArray(node)) return undefined;
  const value = node[name];
  return Array.isArray(value) ? value[0] : value;
}

/** How many children of that name. */
export function childCount(node: XmlValue | undefined, name: string): number {
  if (node === undefined || typeof node === "string" || Array.isArray(node)) return 0;
  const value = node[name];
  return value === undefined ? 0 : Array.isArray(value) ? value.length : 1;
}

/** The text of an element or attribute, trimmed; "" when absent or not text. */
export function textOf(value: XmlValue | undefined): string {
  if (typeof value === "string") return value.trim();
  if (value && !Array.isArray(value) && typeof value["#text"] === "string") return value["#text"].trim();
  return "";
}

export function isNode(value: XmlValue | undefined): value is XmlNode {
  return value !== undefined && typeof value === "object" && !Array.isArray(value);
}
