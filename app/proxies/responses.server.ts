// Turns proxy domain errors into a status and a Russian message for the form, in one place.
import { data } from "@remix-run/node";
import { ProxyError } from "./errors.server";
import { PoaRefused } from "./poa-file.server";
import { TermInvalid } from "./representative-proxies.server";
import { formatDate } from "../web/format";

export function proxyErrorData(error: unknown) {
  if (error instanceof TermInvalid)
    return data({ error: error.message, fieldErrors: error.fieldErrors }, { status: 422 });
  if (error instanceof PoaRefused) {
    return data(
      { error: error.message, fieldErrors: { poa: error.message } as Record<string, string> },
      { status: error.problem === "too-large" ? 413 : 422 },
    );
  }
  if (error instanceof ProxyError) {
    if (error.status === 404) throw data({ message: error.message }, { status: 404 });
    const fieldErrors: Record<string, string> = error.field ? { [error.field]: error.message } : {};
    return data({ error: error.message, fieldErrors }, { status: error.status });
  }
  throw error;
}

/** Said at once when the power of attorney outlives the certificate that signs the reports. */
export function outlivesCertificate(validTo: string, certificate: { notAfter: string } | null): string {
  if (!certificate || validTo <= certificate.notAfter.slice(0, 10)) return "";
  return ` Внимание: доверенность действует дольше вашего сертификата подписи (он действует по ${formatDate(certificate.notAfter)}) — к этой дате загрузите новый сертификат, иначе отчёты не будут приниматься.`;
}
