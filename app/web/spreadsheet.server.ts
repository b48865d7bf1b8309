// Tables people download: CSV as Excel opens it with Cyrillic intact (UTF-8 with a BOM, `;`, CRLF) and XLSX
// (exceljs) with a bold frozen header and identifiers kept as text. Shared by «Сводка» and the operators' queue.
import ExcelJS from "exceljs";

/** A value Excel would take for a formula (=, +, -, @ first) is kept as text by a leading apostrophe. */
const csvField = (raw: string) => {
  const v = /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
  return /[;"\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
};

export function tableCsv(table: string[][]): Buffer {
  const text = table.map((line) => line.map(csvField).join(";")).join("\r\n");
  return Buffer.from("\uFEFF" + text + "\r\n", "utf8");
}

export async function tableXlsx(
  sheetName: string,
  table: string[][],
  options: { widths: number[]; textColumns: number[] },
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "СЭДО-шлюз";
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: "frozen", ySplit: 1 }] });
  // A formula-looking value stays text in XLSX too (exceljs writes strings, never formulas).
  sheet.addRows(table);
  sheet.getRow(1).font = { bold: true };
  options.widths.forEach((width, i) => (sheet.getColumn(i + 1).width = width));
  // Identifiers stay text (leading zeros), never numbers.
  for (const col of options.textColumns) sheet.getColumn(col).numFmt = "@";
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function downloadResponse(body: Buffer, kind: "csv" | "xlsx", fileName: string): Response {
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type":
        kind === "csv"
          ? "text/csv; charset=utf-8"
          : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
