// A streaming pass (saxes) that bounds a report's structure before anything is built from it: how many
// elements, how many attributes one element has, how deep they nest, how long a text or an attribute value
// is. A file past any bound is refused at the first excess — a 5 MB element with 500 000 attributes stops after
// the 201st — so no pathological file gets to the object-building parser. Real reports are far inside them:
// a 4-ФСС title is one element with some 30 attributes, an ЕФС-1 of 1 000 persons about 15 000 elements.
import { SaxesParser } from "saxes";
import { ReportFileRefused } from "./refusal";

export const XML_BOUNDS = {
  elements: 200_000,
  attributesPerElement: 200,
  depth: 64,
  textLength: 100_000,
  attributeLength: 10_000,
} as const;

const CHUNK = 64 * 1024;

export function checkXmlBounds(text: string, bounds = XML_BOUNDS): void {
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
  parser.on("closetag", () => {
    depth--;
  });
  parser.on("text", (t) => {
    if (t.length > bounds.textLength)
      refuse(`текст одного элемента длиннее ${bounds.textLength.toLocaleString("ru-RU")} символов`);
  });
  parser.on("error", () => {
    // Well-formedness is the validator's to judge, with its line; here only the bounds count.
  });
  for (let i = 0; i < text.length; i += CHUNK) parser.write(text.slice(i, i + CHUNK));
  parser.close();
}
